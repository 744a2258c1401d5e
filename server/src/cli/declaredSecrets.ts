/**
 * Keys `envtrace.json` (in the directory a run starts from) declares `"secret": true`, as
 * redaction patterns for the recorder: a declared secret whose name does not look secret is
 * then stored redacted, never in the clear, and measured for `check`'s `secretPolicy`.
 * A missing or invalid config adds nothing here (`envtrace check` reports a bad config).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../check/config';
import { checkRedactPattern } from '../tracer/redact';

/** `^KEY$` patterns (the recorder's regex subset) for the declared secret keys under `cwd`. */
export function declaredSecretPatterns(cwd: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(cwd, 'envtrace.json'), 'utf8');
  } catch {
    return [];
  }
  try {
    const declared = parseConfig(text, 'envtrace.json').declared;
    return Object.entries(declared)
      .filter(([, d]) => d.secret === true)
      .map(([key]) => `^${key.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`)}$`)
      .filter((p) => checkRedactPattern(p) === null);
  } catch {
    return [];
  }
}
