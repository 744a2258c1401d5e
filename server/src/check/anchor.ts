/**
 * Places for run findings whose code lies outside the checked tree (a run recorded in
 * another checkout, a frame in the module cache). GitHub code scanning rejects a whole SARIF
 * file when one result has no location, so such a finding is anchored where the key lives
 * under PATH: its first static site (non-test first), else its declaration.
 */
import type { Site } from '../scan/types';
import type { Declaration } from './declared';
import type { RawFinding } from './finding';

/** `f` with a place under the root when it had none and one is known; otherwise `f`. */
export function anchorFinding(f: RawFinding, sites: Site[], declared: Map<string, Declaration>): RawFinding {
  if (f.file !== null || f.key === null) return f;
  const of = sites.filter((s) => s.key === f.key);
  const site = of.find((s) => !s.test) ?? of[0];
  if (site) return { ...f, file: site.file, line: site.line, column: site.column };
  const d = declared.get(f.key);
  if (d) return { ...f, file: d.file, line: d.line, column: d.column };
  return f;
}
