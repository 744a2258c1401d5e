/**
 * Adds a key to the `declared` section of an `envtrace.json` text as one insertion, keeping
 * the rest of the text (its formatting, order and other fields) as it is. Pure.
 */

/** The `$schema` a created envtrace.json points at (validation and completion in any editor). */
export const SCHEMA_URL = 'https://raw.githubusercontent.com/envtrace/envtrace/main/schemas/envtrace.schema.json';

/** One insertion into a text. */
export interface Insertion {
  offset: number;
  text: string;
}

/** `{ "a": 1, "b": "x" }` on one line. */
export function inlineObject(fields: Record<string, unknown>): string {
  const parts = Object.entries(fields).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

/** The text of a new envtrace.json that declares `key`. */
export function newConfigText(key: string, entry: Record<string, unknown>): string {
  return `{\n  "$schema": ${JSON.stringify(SCHEMA_URL)},\n  "declared": {\n    ${JSON.stringify(key)}: ${inlineObject(entry)}\n  }\n}\n`;
}

/** Offsets of the root object's `{` and of the `{` that opens its `declared` value (-1 when absent). */
function openings(text: string): { root: number; declared: number } {
  let depth = 0;
  let root = -1;
  let lastKey: string | null = null;
  let afterColon = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && !afterColon) lastKey = JSON.parse(text.slice(i, j + 1)) as string;
      afterColon = false;
      i = j;
    } else if (c === ':') afterColon = depth === 1;
    else if (c === '{' || c === '[') {
      if (depth === 0 && c === '{') root = i;
      if (depth === 1 && afterColon && c === '{' && lastKey === 'declared') return { root, declared: i };
      depth++;
      afterColon = false;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',') afterColon = false;
  }
  return { root, declared: -1 };
}

/** The indentation of the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Whether the object opening at `offset` is empty. */
function emptyAfter(text: string, offset: number): boolean {
  return text.slice(offset + 1).trimStart().startsWith('}');
}

/**
 * The insertion that declares `key` with `entry`, or null when the text is not a JSON object
 * or already declares the key.
 */
export function declareInConfig(text: string, key: string, entry: Record<string, unknown>): Insertion | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const declared = (parsed as Record<string, unknown>).declared;
  if (declared !== undefined && (typeof declared !== 'object' || declared === null || Array.isArray(declared))) return null;
  if (declared && Object.prototype.hasOwnProperty.call(declared, key)) return null;
  const { root, declared: open } = openings(text);
  // The file's indentation unit: that of its first indented line, else two spaces.
  const unit = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const member = `${JSON.stringify(key)}: ${inlineObject(entry)}`;
  if (open >= 0) {
    const outer = indentAt(text, open);
    const tail = emptyAfter(text, open) ? `\n${outer}` : ',';
    return { offset: open + 1, text: `\n${outer}${unit}${member}${tail}` };
  }
  const tail = emptyAfter(text, root) ? '\n' : ',';
  return { offset: root + 1, text: `\n${unit}"declared": {\n${unit}${unit}${member}\n${unit}}${tail}` };
}
