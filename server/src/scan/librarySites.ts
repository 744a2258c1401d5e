/**
 * Sites of config libraries (issue 6), resolved across files: struct fields read by
 * caarlos0/env (tags, `envPrefix` nesting, `Options{Prefix}`) and kelseyhightower/envconfig
 * (`Process(prefix, &spec)` → each exported field), spf13/viper binds and automatic-env gets,
 * and joho/godotenv loads (kind `source`). A field's site lives in the file that declares the
 * struct, whichever file holds the call.
 */
import { evaluateKey, type ConstLookup, type Expr } from './expr';
import { isLocalType, type FieldFact, type LibCallFact, type StructFact, type TypeRef } from './libraryFacts';
import { caarlosTag, envconfigKey, isTrue, replaceAll, tagValue, toEnvName, viperEnvKey } from './libraryKeys';
import type { ResolvedFile } from './resolve';
import type { Site, SiteKind } from './types';

/** What library resolution needs from the resolver. */
export interface LibraryResolveHost {
  files: ResolvedFile[];
  /** The package key an import name refers to in a file. */
  qualPackage(file: ResolvedFile, qual: string): string | null;
  lookupFor(file: ResolvedFile): ConstLookup;
  filesOf(pkgKey: string): ResolvedFile[];
  missing(pkgKey: string, name: string): void;
}

/** A site before its file's relative path and test flag are known. */
type Pending = Omit<Site, 'file' | 'test'>;

const BUILTIN = new Set(['string', 'bool', 'byte', 'rune', 'error', 'any', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'float32', 'float64', 'complex64', 'complex128']);
const UNKNOWN_PART = '\u0000';
/** Starts a caarlos0 prefix parsed with `UseFieldNameByDefault` (kept through nesting, cut before use). */
const BY_NAME = '\u0001';
const MAX_NEST = 16;

/** A key that may hold unknown parts → key or pattern. */
function keyOrPattern(k: string): { key: string | null; pattern: string | null } {
  if (!k.includes(UNKNOWN_PART)) return { key: k, pattern: null };
  return { key: null, pattern: k.replace(/\u0000+/g, '*') };
}

/** A string expression as text, with UNKNOWN_PART for unknown parts (null when wholly unknown). */
function textOf(e: Expr | undefined, lookup: ConstLookup): string | null {
  if (!e) return null;
  const { key, pattern } = evaluateKey(e, lookup);
  if (key !== null) return key;
  return pattern !== null ? pattern.replace(/\*/g, UNKNOWN_PART) : null;
}

interface StructRef {
  key: string;
  file: ResolvedFile;
  s: StructFact;
}

interface ViperScope {
  prefixes: Set<string>;
  /** Replacer pairs; null when a replacer was set that is not known. */
  pairs: [string, string][] | null;
  automatic: boolean;
  /** Config key (lower case) → bound variable names. */
  bound: Map<string, string[]>;
}

/** Resolves the library sites of every file at once (on first use). */
export class LibrarySites {
  private byPath: Map<string, Pending[]> | null = null;

  constructor(private readonly host: LibraryResolveHost) {}

  /** The library sites of one file. */
  sitesOf(file: ResolvedFile, rel: string, test: boolean): Site[] {
    if (!this.byPath) {
      try {
        this.byPath = this.build();
      } catch {
        // NOTE: a guard like extractFacts': strange code costs its library sites, never the scan.
        this.byPath = new Map();
      }
    }
    return (this.byPath.get(file.path) ?? []).map((p) => ({ file: rel, ...p, test }));
  }

  private build(): Map<string, Pending[]> {
    const out = new Map<string, Pending[]>();
    const add = (path: string, p: Pending) => {
      const list = out.get(path) ?? [];
      if (!list.some((q) => q.line === p.line && q.column === p.column && q.key === p.key && q.pattern === p.pattern && q.api === p.api)) list.push(p);
      out.set(path, list);
    };
    const roots = new Map<string, Set<string>>();
    const viper = new Map<string, ViperScope>();
    for (const file of this.host.files) {
      const lib = file.facts.lib;
      if (!lib) continue;
      const lookup = this.host.lookupFor(file);
      for (const c of lib.calls) {
        if (c.lib === 'envconfig' && (c.fn === 'Process' || c.fn === 'MustProcess') && c.struct) {
          const ref = this.findStruct(file, c.struct, true);
          const prefix = textOf(c.args[0], lookup) ?? UNKNOWN_PART;
          if (ref) this.envconfigFields(ref.file, ref.s.fields, prefix.toUpperCase(), add, 0);
        } else if (c.lib === 'caarlos0' && /^(?:Parse|ParseWithOptions|ParseAs|ParseAsWithOptions)$/.test(c.fn)) {
          const t = c.fn.startsWith('ParseAs') ? c.typeArg : c.struct;
          const ref = t ? this.findStruct(file, t, true) : null;
          if (!ref) continue;
          const set = roots.get(ref.key) ?? new Set();
          set.add((c.byName ? BY_NAME : '') + (c.prefix ? (textOf(c.prefix, lookup) ?? UNKNOWN_PART) : ''));
          roots.set(ref.key, set);
        } else if (c.lib === 'viper') this.viperSetup(file, c, lookup, viper);
      }
    }
    this.caarlosSites(roots, add);
    for (const file of this.host.files) {
      const lib = file.facts.lib;
      if (!lib) continue;
      const lookup = this.host.lookupFor(file);
      if (lib.autoload) add(file.path, { ...lib.autoload, ...bare('source', null, null, 'godotenv/autoload', file, -1), options: ['file=.env'] });
      for (const c of lib.calls) {
        if (c.lib === 'godotenv' && /^(?:Load|Overload|MustLoad)$/.test(c.fn)) {
          const files = c.args.length ? c.args.map((a) => `file=${(textOf(a, lookup) ?? '*').replace(/\u0000+/g, '*')}`) : ['file=.env'];
          add(file.path, { ...c.span, ...bare('source', null, null, `godotenv.${c.fn}`, file, c.func), options: c.fn === 'Overload' ? [...files, 'overload'] : files });
        } else if (c.lib === 'viper') this.viperSites(file, c, lookup, viper, add);
      }
    }
    for (const list of out.values()) list.sort((a, b) => a.line - b.line || a.column - b.column);
    return out;
  }

  /** The struct type a reference names, seen from `file`; asks the index for it when not parsed yet. */
  private findStruct(file: ResolvedFile, t: TypeRef, ask: boolean): StructRef | null {
    if (!t.qual && BUILTIN.has(t.name)) return null;
    if (isLocalType(t.name)) {
      // Declared inside a function of this very file: no other file can name it.
      const s = file.facts.lib?.structs.find((x) => x.name === t.name);
      return s ? { key: structKey(file, t.name), file, s } : null;
    }
    const pkgKey = t.qual ? this.host.qualPackage(file, t.qual) : file.pkgKey;
    if (!pkgKey) return null;
    for (const f of this.host.filesOf(pkgKey)) {
      const s = f.facts.lib?.structs.find((x) => x.name === t.name);
      if (s) return { key: `${pkgKey}\u0000${t.name}`, file: f, s };
    }
    if (ask) this.host.missing(pkgKey, t.name);
    return null;
  }

  private envconfigFields(file: ResolvedFile, fields: FieldFact[], prefix: string, add: (path: string, p: Pending) => void, depth: number): void {
    if (depth > MAX_NEST) return;
    for (const f of fields) {
      if (!exported(f.name) || isTrue(tagValue(f.tag, 'ignored'))) continue;
      const { key, alt } = envconfigKey(prefix, f.name, f.tag);
      if (f.inline) {
        this.envconfigFields(file, f.inline, f.embedded ? prefix : key, add, depth + 1);
        continue;
      }
      const nested = f.type ? this.findStruct(file, f.type, true) : null;
      if (nested) {
        this.envconfigFields(nested.file, nested.s.fields, f.embedded ? prefix : key, add, depth + 1);
        continue;
      }
      const def = tagValue(f.tag, 'default');
      const options = isTrue(tagValue(f.tag, 'required')) ? ['required'] : [];
      add(file.path, { ...f.span, ...bare('read', key, def || null, 'envconfig.Process', file, -2), ...(options.length ? { options } : {}) });
      if (alt !== '' && alt !== key) add(file.path, { ...f.span, ...bare('read', alt, def || null, 'envconfig.Process', file, -2), options: [...options, 'alternative'] });
    }
  }

  /** caarlos0/env: every tagged field of every struct, under each prefix its nesting gives it. */
  private caarlosSites(roots: Map<string, Set<string>>, add: (path: string, p: Pending) => void): void {
    const structs: StructRef[] = [];
    const parents = new Map<string, { parent: string; prefix: string }[]>();
    for (const file of this.host.files) {
      for (const s of file.facts.lib?.structs ?? []) {
        const ref = { key: structKey(file, s.name), file, s };
        structs.push(ref);
        const edges = (fields: FieldFact[], inner: string, depth: number): void => {
          for (const f of fields) {
            const use = caarlosUse(f);
            if (!use.nested) continue;
            const p = tagValue(f.tag, 'envPrefix') ?? '';
            if (f.inline && depth < MAX_NEST) edges(f.inline, inner + p, depth + 1);
            const link = (child: StructRef | null, prefix: string): void => {
              if (!child || child.key === ref.key) return;
              const list = parents.get(child.key) ?? [];
              list.push({ parent: ref.key, prefix });
              parents.set(child.key, list);
            };
            const own = inner + p;
            link(f.type ? this.findStruct(file, f.type, p !== '') : null, own);
            // A slice of structs: element i reads its keys under PREFIX_i_ (doParseSlice), i unknown here.
            link(f.elem ? this.findStruct(file, f.elem, true) : null, `${own === '' || own.endsWith('_') ? own : own + '_'}${UNKNOWN_PART}_`);
          }
        };
        edges(s.fields, '', 0);
      }
    }
    const memo = new Map<string, Set<string>>();
    const prefixes = (key: string, depth: number): Set<string> => {
      const known = memo.get(key);
      if (known) return known;
      const set = new Set(roots.get(key) ?? []);
      if (depth < MAX_NEST) for (const e of parents.get(key) ?? []) for (const p of prefixes(e.parent, depth + 1)) set.add(p + e.prefix);
      if (set.size === 0) set.add('');
      memo.set(key, set);
      return set;
    };
    for (const ref of structs) {
      const emit = (fields: FieldFact[], prefix: string, byName: boolean, depth: number): void => {
        for (const f of fields) {
          const use = caarlosUse(f, byName);
          if (f.inline && use.nested && depth < MAX_NEST) emit(f.inline, prefix + (tagValue(f.tag, 'envPrefix') ?? ''), byName, depth + 1);
          const tag = use.read;
          if (!tag) continue;
          const def = tagValue(f.tag, 'envDefault');
          add(ref.file.path, { ...f.span, ...bare('read', prefix + tag.key, def, 'env tag', ref.file, -2), ...(tag.options.length ? { options: tag.options } : {}) });
        }
      };
      const all = prefixes(ref.key, 0);
      if (!hasTags(ref.s.fields, 0) && ![...all].some((p) => p.startsWith(BY_NAME))) continue;
      for (const p of all) emit(ref.s.fields, p.startsWith(BY_NAME) ? p.slice(1) : p, p.startsWith(BY_NAME), 0);
    }
  }

  private viperScope(file: ResolvedFile, c: LibCallFact, scopes: Map<string, ViperScope>): ViperScope {
    const id = c.pkgCall ? 'global' : file.pkgKey;
    let s = scopes.get(id);
    if (!s) scopes.set(id, (s = { prefixes: new Set(), pairs: [], automatic: false, bound: new Map() }));
    return s;
  }

  private viperSetup(file: ResolvedFile, c: LibCallFact, lookup: ConstLookup, scopes: Map<string, ViperScope>): void {
    const s = this.viperScope(file, c, scopes);
    if (c.fn === 'AutomaticEnv') s.automatic = true;
    else if (c.fn === 'SetEnvPrefix') {
      const p = textOf(c.args[0], lookup) ?? UNKNOWN_PART;
      if (p !== '') s.prefixes.add(p);
    } else if (c.fn === 'SetEnvKeyReplacer') {
      const texts = c.replacer?.map((a) => textOf(a, lookup)) ?? null;
      if (!texts || texts.length % 2 !== 0 || texts.some((t) => t === null || t.includes(UNKNOWN_PART))) s.pairs = null;
      else if (s.pairs) for (let i = 0; i < texts.length; i += 2) s.pairs.push([texts[i]!, texts[i + 1]!]);
    }
  }

  /** The variable viper reads for a config key in a scope: prefix, upper case, replacer. */
  private viperName(s: ViperScope, configKey: string, withPrefix: boolean): string {
    const prefix = !withPrefix || s.prefixes.size === 0 ? '' : s.prefixes.size === 1 ? [...s.prefixes][0] : UNKNOWN_PART;
    const name = viperEnvKey(configKey, prefix, s.pairs ?? []);
    return s.pairs === null ? name.replace(/[.\-]/g, UNKNOWN_PART) : name;
  }

  /** A variable named in BindEnv(key, NAME…): used as written, through the key replacer. */
  private boundName(s: ViperScope, name: string): string {
    return s.pairs === null ? name.replace(/[.\-]/g, UNKNOWN_PART) : replaceAll(s.pairs, name);
  }

  private viperSites(file: ResolvedFile, c: LibCallFact, lookup: ConstLookup, scopes: Map<string, ViperScope>, add: (path: string, p: Pending) => void): void {
    const s = this.viperScope(file, c, scopes);
    const api = `viper.${c.fn}`;
    const configKey = textOf(c.args[0], lookup);
    const site = (name: string) => add(file.path, { ...c.span, ...bare('read', name, null, api, file, c.func) });
    if (isBind(c.fn)) {
      if (c.args.length >= 2) {
        for (const a of c.args.slice(1)) site(this.boundName(s, textOf(a, lookup) ?? UNKNOWN_PART));
      } else if (c.args.length === 1) site(this.viperName(s, (configKey ?? UNKNOWN_PART).toLowerCase(), true));
      return;
    }
    if (!/^(?:Get\w*|IsSet)$/.test(c.fn) || c.args.length !== 1) return;
    const lower = (configKey ?? UNKNOWN_PART).toLowerCase();
    const names = new Set<string>();
    if (s.automatic) names.add(this.viperName(s, lower, true));
    for (const b of this.boundNames(scopes, s, lower, lookup)) names.add(b);
    for (const n of names) site(n);
  }

  /** Variables BindEnv bound to a config key in a scope (found lazily from every viper call). */
  private boundNames(scopes: Map<string, ViperScope>, s: ViperScope, configKey: string, lookup: ConstLookup): string[] {
    if (s.bound.size === 0) {
      for (const file of this.host.files) {
        for (const c of file.facts.lib?.calls ?? []) {
          if (c.lib !== 'viper' || !isBind(c.fn) || this.viperScope(file, c, scopes) !== s) continue;
          const l = this.host.lookupFor(file);
          const k = (textOf(c.args[0], l) ?? UNKNOWN_PART).toLowerCase();
          const names = c.args.length >= 2 ? c.args.slice(1).map((a) => this.boundName(s, textOf(a, l) ?? UNKNOWN_PART)) : [this.viperName(s, k, true)];
          s.bound.set(k, [...(s.bound.get(k) ?? []), ...names]);
        }
      }
      if (s.bound.size === 0) s.bound.set('\u0000none', []);
    }
    void lookup;
    return s.bound.get(configKey) ?? [];
  }
}

/** viper's BindEnv, or MustBindEnv (the same, panicking on no arguments). */
function isBind(fn: string): boolean {
  return fn === 'BindEnv' || fn === 'MustBindEnv';
}

/** Whether a field (an embedded one by its type's name) is exported: reflection sets only those. */
function exported(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

/**
 * What caarlos0/env (v11 doParseField) does with a field: `read`, the key it reads and the tag's
 * options (the tag's key, else with `byName` the field's name; none for unexported fields, which
 * it cannot set; for `env:"-"` and `env:"KEY,-"`, which it ignores; for an inline struct, which
 * it only descends into); `nested`, whether it descends
 * into the field's struct type (an ignored field of a struct value type it leaves alone; into a
 * non-nil pointer it descends before looking at the tag).
 */
function caarlosUse(f: FieldFact, byName = false): { read: { key: string; options: string[] } | null; nested: boolean } {
  if (!exported(f.name)) return { read: null, nested: false };
  const tag = caarlosTag(f.tag);
  const ignored = !!tag && (tag.key === '-' || tag.options.includes('-'));
  // With UseFieldNameByDefault a field without a key in its tag reads its name (toEnvName).
  const key = tag?.key || (byName ? toEnvName(f.name) : '');
  const read = ignored || f.inline || !key ? null : { key, options: tag?.options ?? [] };
  return { read, nested: f.inline || f.pointer ? true : !ignored };
}

/** The key of a struct type across the workspace: package and name, or file and local name. */
function structKey(file: ResolvedFile, name: string): string {
  return `${isLocalType(name) ? file.path : file.pkgKey}\u0000${name}`;
}

function hasTags(fields: FieldFact[], depth: number): boolean {
  return fields.some((f) => caarlosTag(f.tag) !== null || (f.inline !== undefined && depth < MAX_NEST && hasTags(f.inline, depth + 1)));
}

/** The common fields of a library site; `func` indexes the file's functions (-1: package level, -2: a struct field). */
function bare(kind: SiteKind, key: string | null, def: string | null, api: string, file: ResolvedFile, func: number): Omit<Pending, 'line' | 'column' | 'endLine' | 'endColumn'> {
  const k = key === null ? { key: null, pattern: null } : keyOrPattern(key);
  // A struct field (func -2) is in no function; a call outside any function is in `<pkg>.init`.
  const fn = func >= 0 ? `${file.facts.pkg}.${file.facts.funcs[func].qualified}` : func === -2 ? null : `${file.facts.pkg}.init`;
  return { kind, ...k, api, default: def, function: fn };
}
