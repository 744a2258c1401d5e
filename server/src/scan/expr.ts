/**
 * Symbolic key expressions: what the scanner knows about a key argument after reading one
 * file, and their evaluation to a key or pattern once constants of other files are known.
 */

/** A key expression as written, kept symbolic until constants are resolved. */
export type Expr =
  | { t: 'str'; v: string }
  /** A constant of this package (`qual` absent) or of the imported package named `qual`. */
  | { t: 'ref'; name: string; qual?: string }
  /** A constant declared inside the enclosing function. */
  | { t: 'local'; e: Expr }
  | { t: 'cat'; parts: Expr[] }
  | { t: 'fmt'; format: Expr; args: Expr[] }
  /** A parameter of the enclosing named function (index into its parameter list). */
  | { t: 'param'; index: number }
  /** A non-string literal (number, bool), kept as text for defaults. */
  | { t: 'lit'; v: string }
  | { t: 'unknown' };

export const UNKNOWN: Expr = { t: 'unknown' };

/** Looks up a constant: returns its expression (and the context to resolve it in) or undefined. */
export type ConstLookup = (name: string, qual: string | undefined) => { e: Expr; lookup: ConstLookup } | undefined;

/** A partly known string: known text and `null` for each unknown part. */
type Parts = (string | null)[];

const MAX_DEPTH = 64;

function evalParts(e: Expr, lookup: ConstLookup, depth: number): Parts {
  if (depth > MAX_DEPTH) return [null];
  switch (e.t) {
    case 'str':
      return [e.v];
    case 'local':
      return evalParts(e.e, lookup, depth + 1);
    case 'ref': {
      const c = lookup(e.name, e.qual);
      return c ? evalParts(c.e, c.lookup, depth + 1) : [null];
    }
    case 'cat':
      return e.parts.flatMap((p) => evalParts(p, lookup, depth + 1));
    case 'fmt':
      return evalSprintf(e, lookup, depth);
    default:
      return [null];
  }
}

function evalSprintf(e: Extract<Expr, { t: 'fmt' }>, lookup: ConstLookup, depth: number): Parts {
  const format = evalParts(e.format, lookup, depth + 1);
  if (format.length === 0 || format.some((p) => p === null)) return [null];
  const f = (format as string[]).join('');
  const out: Parts = [];
  let arg = 0;
  let lit = '';
  for (let i = 0; i < f.length; i++) {
    if (f[i] !== '%') {
      lit += f[i];
      continue;
    }
    if (f[i + 1] === '%') {
      lit += '%';
      i++;
      continue;
    }
    // %[flags][width][.prec]verb; anything but a plain %s/%v/%d stands for an unknown part.
    let j = i + 1;
    while (j < f.length && /[-+# 0-9.[\]*]/.test(f[j])) j++;
    const verb = f[j];
    const plain = j === i + 1 && (verb === 's' || verb === 'v' || verb === 'd');
    const a = e.args[arg++];
    if (lit) out.push(lit);
    lit = '';
    if (plain && a) out.push(...evalParts(a, lookup, depth + 1));
    else out.push(null);
    i = j;
  }
  if (lit) out.push(lit);
  return out;
}

/** What a key expression comes to: a key, a pattern with `*`, or neither (dynamic). */
export function evaluateKey(e: Expr, lookup: ConstLookup): { key: string | null; pattern: string | null } {
  const parts = evalParts(e, lookup, 0);
  if (parts.every((p) => p !== null)) return { key: parts.join(''), pattern: null };
  if (!parts.some((p) => p)) return { key: null, pattern: null };
  let pattern = '';
  for (const p of parts) {
    if (p === null) {
      if (!pattern.endsWith('*')) pattern += '*';
    } else pattern += p;
  }
  return { key: null, pattern };
}

/** The text of a default argument: a string (through constants) or a plain literal. */
export function evaluateDefault(e: Expr | undefined, lookup: ConstLookup): string | null {
  if (!e) return null;
  if (e.t === 'lit') return e.v;
  const { key } = evaluateKey(e, lookup);
  return key;
}

/** The value of a Go interpreted ("…") or raw (`…`) string literal as written in source. */
export function decodeStringLiteral(src: string): string | null {
  if (src.length >= 2 && src[0] === '`' && src[src.length - 1] === '`') return src.slice(1, -1).replace(/\r/g, '');
  if (src.length < 2 || src[0] !== '"' || src[src.length - 1] !== '"') return null;
  const body = src.slice(1, -1);
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const d = body[++i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    if (d in simple) out += simple[d];
    else if (d === 'x' || d === 'u' || d === 'U') {
      const len = d === 'x' ? 2 : d === 'u' ? 4 : 8;
      const code = parseInt(body.slice(i + 1, i + 1 + len), 16);
      if (Number.isNaN(code) || code > 0x10ffff) return null;
      out += String.fromCodePoint(code);
      i += len;
    } else if (d >= '0' && d <= '7') {
      const code = parseInt(body.slice(i, i + 3), 8);
      if (Number.isNaN(code)) return null;
      out += String.fromCharCode(code);
      i += 2;
    } else return null;
  }
  return out;
}

/** A `$VAR` or `${VAR}` reference inside a literal's source text: name and offset of the `$`. */
export interface VarRef {
  name: string;
  offset: number;
  length: number;
}

/** The variables os.Expand/os.ExpandEnv would look up in `s` (offsets into `s`). */
export function expandRefs(s: string): VarRef[] {
  const refs: VarRef[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '$' || i + 1 >= s.length) continue;
    if (s[i + 1] === '{') {
      const close = s.indexOf('}', i + 2);
      if (close > i + 2) {
        refs.push({ name: s.slice(i + 2, close), offset: i, length: close + 1 - i });
        i = close;
      }
      continue;
    }
    const m = /^(?:[0-9]|[A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(i + 1, i + 130));
    if (m) {
      refs.push({ name: m[0], offset: i, length: m[0].length + 1 });
      i += m[0].length;
    } else if (s[i + 1] === '$') i++; // `$$` expands the special variable "$"; not a key
  }
  return refs;
}
