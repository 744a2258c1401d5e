/** One Go file in the workspace index, and cheap text questions about it (no parsing). */
import { mentionsEnvApi } from './apis';
import type { FileFacts } from './facts';
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
  /** The version `env` was computed for by prefetch (so refresh need not test it again). */
  envVersion?: number;
  /** Helper names the facts were extracted for (sorted, comma-joined). */
  words: string;
  constOnly: boolean;
  facts: FileFacts | null;
  /** Facts parsed ahead of time (by a worker) for this version, with no helper names. */
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
    const b = Buffer.from(e.raw.buffer, e.raw.byteOffset, e.raw.byteLength);
    if (b.indexOf('env') < 0 && b.indexOf('Env') < 0 && b.indexOf('spf13/viper') < 0) return false;
    const env = mentionsEnvApi(textOf(e));
    if (!env) e.decoded = undefined; // keep only the texts that will be parsed
    return env;
  }
  return mentionsEnvApi(textOf(e));
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
