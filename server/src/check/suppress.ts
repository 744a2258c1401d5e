/**
 * Suppression comments the check honours: `envtrace:ignore <rule-id>[,<rule-id>…] [reason]`
 * in a comment (`//` in Go, `#` in a dotenv file) on the finding's line or the line above
 * silences those rules there. `envtrace:ignore all` silences every rule. The CLI and the
 * language server both apply it (check.ts), so a suppressed finding fails neither CI nor the
 * editor. No IO: the caller passes file texts.
 */
import type { RawFinding } from './finding';

/** The comment's marker. */
export const IGNORE_MARKER = 'envtrace:ignore';

/** The marker and its rule list; group 1 is the list. The marker must open a comment. */
const IGNORE = /(?:\/\/|#)\s*envtrace:ignore[ \t]+([A-Za-z0-9_-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_-]+)*)/;

/** A suppression comment on one line: the rules it names and where the list ends (0-based offset). */
export interface IgnoreComment {
  rules: string[];
  /** Offset in the line just after the last rule id (where another id can be appended). */
  listEnd: number;
}

/** The suppression comment of one line of text, or null. */
export function ignoreComment(line: string): IgnoreComment | null {
  const m = IGNORE.exec(line);
  if (!m) return null;
  const listEnd = m.index + m[0].length;
  return { rules: m[1].split(',').map((r) => r.trim()), listEnd };
}

/** Whether a line silences `rule`. */
function silences(line: string | undefined, rule: string): boolean {
  const c = line === undefined ? null : ignoreComment(line);
  return c !== null && (c.rules.includes(rule) || c.rules.includes('all'));
}

/** Whether `lines` (a file's text split in lines) silence `rule` at the 1-based `line`. */
export function suppressedAt(lines: readonly string[], line: number, rule: string): boolean {
  return silences(lines[line - 1], rule) || silences(lines[line - 2], rule);
}

/** The findings no suppression comment silences; `readText` gives a file's text (relative path) or null. */
export function withoutSuppressed<F extends RawFinding>(findings: F[], readText: (file: string) => string | null): F[] {
  const cache = new Map<string, string[] | null>();
  const linesOf = (file: string) => {
    if (!cache.has(file)) {
      const text = readText(file);
      cache.set(file, text === null ? null : text.split(/\r?\n/));
    }
    return cache.get(file) ?? null;
  };
  return findings.filter((f) => {
    if (f.file === null || f.line === null) return true;
    const lines = linesOf(f.file);
    return lines === null || !suppressedAt(lines, f.line, f.rule);
  });
}
