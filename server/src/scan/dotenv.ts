/**
 * `.env` files (issue 6), parsed the way godotenv and docker compose read them: `KEY=VALUE`
 * lines, an optional `export ` in front, `#` comments (whole lines, or after whitespace in
 * an unquoted value), single quotes (literal), double quotes (escapes, may span lines), and
 * `$VAR` / `${VAR}` references in unquoted and double-quoted values. No IO; never throws.
 */

/** A 0-based position range on one line (UTF-16 columns, end exclusive), as LSP uses. */
export interface DotenvRange {
  line: number;
  start: number;
  end: number;
}

/** A `$VAR` / `${VAR}` reference inside a value. */
export interface DotenvRef {
  name: string;
  range: DotenvRange;
}

/** One definition of a key. */
export interface DotenvEntry {
  key: string;
  /** The value after unquoting and unescaping (references not expanded). */
  value: string;
  /** Where the key is written. */
  keyRange: DotenvRange;
  /** 0-based line where the value ends (differs from the key's line for multi-line values). */
  endLine: number;
  quote: '"' | "'" | null;
  exported: boolean;
  refs: DotenvRef[];
}

/** A line that is not a definition, a comment or blank. */
export interface DotenvProblem {
  line: number;
  message: string;
}

/** What a `.env` text defines. */
export interface DotenvFile {
  entries: DotenvEntry[];
  problems: DotenvProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.\-]*/;

/** Parses the text of a `.env` file. */
export function parseDotenv(text: string): DotenvFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: DotenvFile = { entries: [], problems: [] };
  for (let row = 0; row < lines.length; row++) {
    const raw = lines[row];
    let i = raw.length - raw.trimStart().length;
    if (i === raw.length || raw[i] === '#') continue;
    let exported = false;
    const exp = /^export\s+/.exec(raw.slice(i));
    if (exp && KEY.test(raw.slice(i + exp[0].length))) {
      exported = true;
      i += exp[0].length;
    }
    const key = KEY.exec(raw.slice(i))?.[0];
    if (!key) {
      out.problems.push({ line: row, message: `not a KEY=VALUE line: ${raw.trim().slice(0, 60)}` });
      continue;
    }
    const keyRange = { line: row, start: i, end: i + key.length };
    i += key.length;
    while (raw[i] === ' ' || raw[i] === '\t') i++;
    if (raw[i] !== '=' && raw[i] !== ':') {
      // `export KEY` alone marks a variable for export; it defines nothing.
      if (!exported || i < raw.length) out.problems.push({ line: row, message: `expected = after ${key}` });
      continue;
    }
    i++;
    while (raw[i] === ' ' || raw[i] === '\t') i++;
    const q = raw[i];
    if (q === '"' || q === "'") {
      const r = quoted(lines, row, i, q);
      if (!r) {
        out.problems.push({ line: row, message: `unterminated ${q === '"' ? 'double' : 'single'} quote in ${key}` });
        out.entries.push({ key, value: raw.slice(i + 1), keyRange, endLine: row, quote: q, exported, refs: [] });
        continue;
      }
      out.entries.push({ key, value: r.value, keyRange, endLine: r.endLine, quote: q, exported, refs: r.refs });
      row = r.endLine;
      continue;
    }
    let end = raw.length;
    const hash = /\s#/.exec(raw.slice(i));
    if (hash) end = i + hash.index;
    const valueText = raw.slice(i, end).trimEnd();
    out.entries.push({ key, value: valueText.replace(/\\\$/g, '$'), keyRange, endLine: row, quote: null, exported, refs: refsIn(valueText, row, i) });
  }
  return out;
}

/** A quoted value starting at lines[row][col]; null when the quote never closes. */
function quoted(lines: string[], row: number, col: number, q: string): { value: string; endLine: number; refs: DotenvRef[] } | null {
  let value = '';
  const refs: DotenvRef[] = [];
  let r = row;
  let i = col + 1;
  let segStart = i;
  for (;;) {
    const line = lines[r];
    if (i >= line.length) {
      if (q === '"') refs.push(...refsIn(line.slice(segStart), r, segStart));
      if (r + 1 >= lines.length) return null;
      value += '\n';
      r++;
      i = 0;
      segStart = 0;
      continue;
    }
    const c = line[i];
    if (c === q) {
      if (q === '"') refs.push(...refsIn(line.slice(segStart, i), r, segStart));
      return { value, endLine: r, refs };
    }
    if (q === '"' && c === '\\' && i + 1 < line.length) {
      const d = line[i + 1];
      value += ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' } as Record<string, string>)[d] ?? `\\${d}`;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
}

/** `$VAR` and `${VAR}` (also `${VAR:-default}`) references in a segment at (row, col); `\$` escapes. */
function refsIn(s: string, row: number, col: number): DotenvRef[] {
  const refs: DotenvRef[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] !== '$') continue;
    const m = /^\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|^([A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(i + 1));
    if (!m) continue;
    const name = m[1] ?? m[2];
    refs.push({ name, range: { line: row, start: col + i, end: col + i + 1 + m[0].length } });
    i += m[0].length;
  }
  return refs;
}

/** Whether a file name is a `.env` file the index reads: `.env`, `.env.local`, `prod.env`, … (not `.envrc`). */
export function isDotenvName(name: string): boolean {
  return name === '.env' || name.startsWith('.env.') || (name.endsWith('.env') && name.length > 4);
}
