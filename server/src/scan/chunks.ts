/**
 * Cheap text work done before any parsing: splitting a Go file into its top-level
 * declarations with a small lexer (strings, runes, comments, brackets), so that the parser
 * only has to read the declarations that matter.
 */

/** The keyword that starts a top-level declaration, or 'head' for text before the first one. */
export type ChunkKind = 'head' | 'package' | 'import' | 'const' | 'var' | 'type' | 'func';

/** One top-level declaration: [start, end) in UTF-16 code units. */
export interface Chunk {
  kind: ChunkKind;
  start: number;
  end: number;
}

const KEYWORDS: Record<string, ChunkKind> = {
  package: 'package',
  import: 'import',
  const: 'const',
  var: 'var',
  type: 'type',
  func: 'func',
};

function isIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c > 127;
}

/**
 * Splits `text` at every top-level keyword (package, import, const, var, type, func) found
 * outside brackets, strings and comments. After an unclosed bracket (broken code) the rest of
 * the file is one chunk: slower to parse, never wrong.
 */
export function topLevelChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [{ kind: 'head', start: 0, end: text.length }];
  const n = text.length;
  let depth = 0;
  let i = 0;
  const startChunk = (kind: ChunkKind, at: number): void => {
    chunks[chunks.length - 1].end = at;
    chunks.push({ kind, start: at, end: n });
  };
  const jump = /[/"'`{}()[\]]/g;
  while (i < n) {
    if (depth > 0) {
      // Inside brackets only brackets, strings and comments matter: jump to the next one.
      jump.lastIndex = i;
      if (!jump.exec(text)) break;
      i = jump.lastIndex - 1;
    }
    const c = text.charCodeAt(i);
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === 96 /* ` */) {
      const end = text.indexOf('`', i + 1);
      i = end < 0 ? n : end + 1;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === c || d === 10) {
          i++;
          break;
        } else i++;
      }
    } else if (c === 123 || c === 40 || c === 91) {
      depth++;
      i++;
    } else if (c === 125 || c === 41 || c === 93) {
      if (depth > 0) depth--;
      i++;
    } else if (isIdent(c)) {
      const s = i;
      while (i < n && isIdent(text.charCodeAt(i))) i++;
      if (i - s <= 7 && (s === 0 || !isIdent(text.charCodeAt(s - 1)))) {
        const kind = depth === 0 ? KEYWORDS[text.slice(s, i)] : undefined;
        if (kind && declarationMayStart(text, s)) startChunk(kind, s);
      }
    } else i++;
  }
  return chunks;
}

/**
 * Whether a declaration may start at `at`: first on its line, or after `;` or a comment. Go
 * ends a declaration only with a semicolon (written, or put at a line break), so a keyword
 * later on the line of another declaration is part of it: the `func` of `var f func()` or of
 * `var f = func() {…}` is a type or a literal, not a function declaration.
 */
function declarationMayStart(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i--;
  if (i < 0) return true;
  const c = text.charCodeAt(i);
  return c === 10 || c === 59 /* ; */ || c === 0xfeff || (c === 47 /* / */ && text.charCodeAt(i - 1) === 42 /* * */);
}

/** Offsets of line starts, for offset → (row, column) conversion. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i >= 0) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}

/** The 0-based row and column (UTF-16 units) of `offset`. */
export function pointAt(starts: number[], offset: number): { row: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { row: lo, column: offset - starts[lo] };
}
