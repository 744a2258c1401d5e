/**
 * The key rules of the config libraries the scanner knows (issue 6), as pure functions:
 * Go struct tags, caarlos0/env's `env:"KEY,opts"`, kelseyhightower/envconfig's names and
 * `split_words`, spf13/viper's prefix and key replacer.
 */

/** The config libraries, by the import path prefix that names them. */
export type Library = 'caarlos0' | 'envconfig' | 'viper' | 'godotenv' | 'autoload';

/** The library an import path belongs to, if any (any major version). */
export function libraryOf(importPath: string): Library | null {
  if (/^github\.com\/caarlos0\/env(?:\/v\d+)?$/.test(importPath)) return 'caarlos0';
  if (importPath === 'github.com/kelseyhightower/envconfig') return 'envconfig';
  if (/^github\.com\/spf13\/viper(?:\/v\d+)?$/.test(importPath)) return 'viper';
  if (importPath === 'github.com/joho/godotenv') return 'godotenv';
  if (importPath === 'github.com/joho/godotenv/autoload') return 'autoload';
  return null;
}

/** The value of `key` in a Go struct tag (reflect.StructTag.Lookup), or null when absent. */
export function tagValue(tag: string, key: string): string | null {
  let t = tag;
  while (t !== '') {
    let i = 0;
    while (i < t.length && t[i] === ' ') i++;
    t = t.slice(i);
    if (t === '') break;
    i = 0;
    while (i < t.length && t.charCodeAt(i) > 32 && t[i] !== ':' && t[i] !== '"' && t.charCodeAt(i) !== 0x7f) i++;
    if (i === 0 || i + 1 >= t.length || t[i] !== ':' || t[i + 1] !== '"') break;
    const name = t.slice(0, i);
    t = t.slice(i + 1);
    i = 1;
    while (i < t.length && t[i] !== '"') {
      if (t[i] === '\\') i++;
      i++;
    }
    if (i >= t.length) break;
    const quoted = t.slice(0, i + 1);
    t = t.slice(i + 1);
    if (name === key) return unquote(quoted);
  }
  return null;
}

function unquote(q: string): string | null {
  try {
    const v: unknown = JSON.parse(q);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** caarlos0/env's reading of `env:"KEY,opt,…"`: the key (may be empty) and the options. */
export function caarlosTag(tag: string): { key: string; options: string[] } | null {
  const v = tagValue(tag, 'env');
  if (v === null) return null;
  const [key, ...opts] = v.split(',');
  return { key: key.trim(), options: opts.map((o) => o.trim()).filter((o) => o !== '') };
}

/**
 * caarlos0/env's key for an untagged field under `Options{UseFieldNameByDefault: true}` (its
 * toEnvName): `FooBar` → `FOO_BAR`, `HTTPPort` → `HTTP_PORT`, underscores dropped and re-placed.
 */
export function toEnvName(input: string): string {
  const upper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
  const lower = (c: string | undefined) => c !== undefined && c !== c.toUpperCase() && c === c.toLowerCase();
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '_') continue;
    if (out !== '' && upper(c) && i + 1 < input.length && (lower(input[i + 1]) || lower(input[i - 1]))) out += '_';
    out += c.toUpperCase();
  }
  return out;
}

/** strconv.ParseBool's true values (envconfig's isTrue). */
export function isTrue(v: string | null): boolean {
  return v !== null && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}

/** envconfig's `split_words` rendering of a field name: `MaxIdleConns` → `Max_Idle_Conns`, `APIKey` → `API_Key`. */
export function splitWords(name: string): string {
  const words = name.match(/([^A-Z]+|[A-Z]+[^A-Z]+|[A-Z]+)/g);
  if (!words) return name;
  const out: string[] = [];
  for (const w of words) {
    const m = /([A-Z]+)([A-Z][^A-Z]+)/.exec(w);
    if (m) out.push(m[1], m[2]);
    else out.push(w);
  }
  return out.join('_');
}

/** envconfig's key of one field below `prefix` ('' for none): the key and the alternative it also tries. */
export function envconfigKey(prefix: string, fieldName: string, tag: string): { key: string; alt: string } {
  const alt = (tagValue(tag, 'envconfig') ?? '').toUpperCase();
  let key = fieldName;
  if (isTrue(tagValue(tag, 'split_words'))) key = splitWords(fieldName);
  if (alt !== '') key = alt;
  if (prefix !== '') key = `${prefix}_${key}`;
  return { key: key.toUpperCase(), alt };
}

/** A string replacer as strings.NewReplacer builds it (old/new pairs, first match wins per position). */
export function replaceAll(pairs: [string, string][], s: string): string {
  if (pairs.length === 0) return s;
  let out = '';
  for (let i = 0; i < s.length; ) {
    const hit = pairs.find(([o]) => o !== '' && s.startsWith(o, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else out += s[i++];
  }
  return out;
}

/** viper's environment name for a config key: prefix (upper-cased with `_`), then the replacer. */
export function viperEnvKey(key: string, prefix: string, pairs: [string, string][]): string {
  const merged = prefix !== '' ? `${prefix}_${key}`.toUpperCase() : key.toUpperCase();
  return replaceAll(pairs, merged);
}
