/** One Go file in the workspace index, and cheap text questions about it (no parsing). */
import { mentionsEnvApi } from './apis';
import type { FileFacts } from './fileFacts';
import type { Site } from './types';

/** What the index keeps per Go file. */
export interface Entry {
  path: string;
  dir: string;
  /** The source as given: a string, or UTF-8 bytes decoded only when needed. */
  raw: string | Uint8Array;
  decoded?: string;
  /** Bumped on every change of `raw`. */
  version: number;
  test: boolean;
  pkgName: string;
  /** Import paths quoted in the file's header (cheap text scan, may include extras). */
  imports: string[];
  env: boolean;
  /** The version `env` was computed for when the file was loaded (so refresh need not test it again). */
  envVersion?: number;
  /** Helper names the facts were extracted for (sorted, comma-joined). */
  words: string;
  constOnly: boolean;
  facts: FileFacts | null;
  /** Package name and imports read ahead of time (by the thread that loaded it) for this version. */
  header?: { version: number; pkgName: string; imports: string[] };
  /** Facts parsed ahead of time (by a loading thread) for this version, with no helper names. */
  prefetched?: { version: number; facts: FileFacts | null };
  sites: Site[];
  sitesJson: string;
}

/** A file's text, decoding its bytes on first use. */
export function textOf(e: Entry): string {
  if (typeof e.raw === 'string') return e.raw;
  return (e.decoded ??= Buffer.from(e.raw.buffer, e.raw.byteOffset, e.raw.byteLength).toString('utf8'));
}

/** The start of a file's text, enough for its header in nearly every file. */
export function headOf(e: Entry): string {
  if (typeof e.raw === 'string' || e.decoded !== undefined) return textOf(e);
  const head = Buffer.from(e.raw.buffer, e.raw.byteOffset, e.raw.byteLength).toString('utf8', 0, Math.min(e.raw.byteLength, 8192));
  return /^(?:func|type|var|const)\b/m.test(head) || e.raw.byteLength <= 8192 ? head : textOf(e);
}

/** The env pre-filter; on bytes, a native search rules out most files before any decoding. */
export function envOf(e: Entry): boolean {
  if (typeof e.raw !== 'string' && e.decoded === undefined) {
    const text = envText(e.raw);
    if (text !== null) e.decoded = text; // keep only the texts that will be parsed
    return text !== null;
  }
  return mentionsEnvApi(textOf(e));
}

/** The env pre-filter on UTF-8 bytes: the decoded text when the file passes, else null. */
export function envText(raw: Uint8Array): string | null {
  const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (b.indexOf('env') < 0 && b.indexOf('Env') < 0 && b.indexOf('spf13/viper') < 0) return null;
  const text = b.toString('utf8');
  return mentionsEnvApi(text) ? text : null;
}

const DECL_LINE = /^(?:func|type|var|const)\b/m;

/** readHeader(headOf(…)) of a file given as bytes, and its text when already decoded. */
export function headerOfBytes(raw: Uint8Array, text: string | null): { pkgName: string; imports: string[] } {
  if (text !== null) return readHeader(text);
  const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  // Most headers end within 2 KB: a declaration keyword found there, followed by a character
  // the cut did not make, ends the header in the longer texts too.
  const short = b.toString('utf8', 0, Math.min(b.byteLength, 2048));
  const m = DECL_LINE.exec(short);
  if (b.byteLength <= 2048 || (m && m.index + m[0].length < short.length - 1)) return readHeader(short);
  const head = b.toString('utf8', 0, Math.min(b.byteLength, 8192));
  return readHeader(DECL_LINE.test(head) || b.byteLength <= 8192 ? head : b.toString('utf8'));
}

/** Whether two sources (strings or bytes) are the same. */
export function sameSource(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (typeof a !== 'string' && typeof b !== 'string') return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
  return false;
}

/** The constants a file declares, as text (to notice when an edit changed them). */
export function constSignature(facts: FileFacts | null): string {
  return facts && facts.consts.size ? JSON.stringify([...facts.consts]) : '';
}

/** Package name and quoted import paths from the text before the first declaration (no parse). */
export function readHeader(text: string): { pkgName: string; imports: string[] } {
  const end = /^(?:func|type|var|const)\b/m.exec(text)?.index ?? text.length;
  const head = text.slice(0, end);
  const pkgName = /^\uFEFF?package\s+([A-Za-z_]\w*)/m.exec(head)?.[1] ?? '';
  const imports = [...head.matchAll(/"([^"\n\\]+)"/g)].map((m) => m[1]);
  return { pkgName, imports };
}
