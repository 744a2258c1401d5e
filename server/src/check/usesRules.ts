/**
 * `envtrace check` rules on where values go (issue 15), from the uses analysis:
 * `secret-to-output` (rule R1: a secret or credential reaches a log, a print or a response)
 * and `unchecked-parse` (rule R3: a parse whose error nobody reads). One finding per use.
 */
import type { Language } from 'web-tree-sitter';
import { newGoParser } from '../scan/index';
import type { Site } from '../scan/types';
import { usesOf, type UsesSource } from '../uses/index';
import type { RawFinding } from './finding';

/** Findings of both rules; `files` are every Go file (relative), `readSource` their text. */
export function usesFindings(language: Language, sites: Site[], files: string[], readSource: (file: string) => string | null): RawFinding[] {
  const sources: UsesSource[] = files.map((rel) => ({ rel, get: () => readSource(rel) ?? undefined }));
  const parser = newGoParser(language);
  let report;
  try {
    report = usesOf(parser, sources, sites);
  } finally {
    parser.delete();
  }
  const out: RawFinding[] = [];
  sites.forEach((s, i) => {
    const key = s.key;
    if (key === null || s.test) return;
    const secret = report.keys[key]?.reasons.some((r) => r.startsWith('R1 '));
    for (const u of report.siteUses[i] ?? []) {
      const at = { file: u.file, line: u.line, column: u.column, key };
      if (u.kind === 'output' && secret) out.push({ rule: 'secret-to-output', message: `${u.api} outputs ${key}, a secret or credential read at ${s.file}:${s.line}`, ...at });
      if ((u.kind === 'parse' || u.kind === 'flag') && u.errorChecked === false) out.push({ rule: 'unchecked-parse', message: `the error of ${u.api} on ${key} (read at ${s.file}:${s.line}) is not checked`, ...at });
    }
  });
  return out;
}
