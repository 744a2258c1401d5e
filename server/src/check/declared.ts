/**
 * The project's declared environment: keys of `.env.example`, `.env.sample`, `.env.dist`
 * at the checked root, and the config's `declared` section. No IO: the caller passes texts.
 */
import { parseDotenv } from '../scan/dotenv';
import type { DeclaredKey } from './config';

/** The dotenv files that declare keys (committed templates, not real values). */
export const DECLARING_FILES = ['.env.example', '.env.sample', '.env.dist'] as const;

/** Where a key is declared, with what the config says about it. */
export interface Declaration {
  key: string;
  /** Path relative to the root. */
  file: string;
  /** 1-based; null when the place in the file is not known. */
  line: number | null;
  column: number | null;
  info: DeclaredKey;
}

/** A declaring source: a file name relative to the root and its text. */
export interface DeclaringText {
  file: string;
  text: string;
}

/** Every declaration, first place per key wins; the config's facts are merged into dotenv ones. */
export function collectDeclared(dotenvs: DeclaringText[], config: { file: string; text: string; declared: Record<string, DeclaredKey> } | null): Map<string, Declaration> {
  const out = new Map<string, Declaration>();
  for (const d of dotenvs) {
    for (const e of parseDotenv(d.text).entries) {
      if (!out.has(e.key)) out.set(e.key, { key: e.key, file: d.file, line: e.keyRange.line + 1, column: e.keyRange.start + 1, info: {} });
    }
  }
  if (config) {
    for (const [key, info] of Object.entries(config.declared)) {
      const had = out.get(key);
      if (had) had.info = info;
      else out.set(key, { key, file: config.file, ...placeOf(config.text, key), info });
    }
  }
  return out;
}

/** Line and column of the first `"key"` in a JSON text (the declared entry), or nulls. */
function placeOf(text: string, key: string): { line: number | null; column: number | null } {
  const at = text.indexOf(JSON.stringify(key));
  if (at < 0) return { line: null, column: null };
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}
