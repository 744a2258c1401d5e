/** What a rule reports: one finding, located in a file under the checked root when it can be. */
import type { Level } from './rules';

/** One result of `envtrace check`. */
export interface Finding {
  rule: string;
  /** The effective level (the config's, else the rule's default); never `off`. */
  level: Exclude<Level, 'off'>;
  message: string;
  /** Path relative to the checked root with `/` separators, or null when the finding has no place there. */
  file: string | null;
  /** 1-based; null with file null or when only the file is known. */
  line: number | null;
  column: number | null;
  /** The variable the finding is about, when there is one. */
  key: string | null;
}

/** A finding before its level is applied. */
export type RawFinding = Omit<Finding, 'level'>;

/** Orders findings by file, line, column, rule (files-less last) so output is stable. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file === null ? 1 : b.file === null ? -1 : a.file < b.file ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
