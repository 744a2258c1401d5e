/**
 * The rules that need only the static scan and the declarations: `undeclared-key`,
 * `declared-unused`, `env-write-outside-tests`. Pure functions.
 */
import type { Site } from '../scan/types';
import type { Declaration } from './declared';
import type { RawFinding } from './finding';

const at = (s: Site) => ({ file: s.file, line: s.line, column: s.column });

/** Non-test reads of keys nothing declares; silent when nothing is declared at all. */
export function undeclaredKeys(sites: Site[], declared: Map<string, Declaration>): RawFinding[] {
  if (declared.size === 0) return [];
  return sites
    .filter((s) => s.kind === 'read' && !s.test && s.key !== null && !declared.has(s.key))
    .map((s) => ({ rule: 'undeclared-key', message: `${s.key} is read here (${s.api}) but not declared`, ...at(s), key: s.key }));
}

/** Declared keys that no site (test code included) and no run reads. */
export function declaredUnused(sites: Site[], declared: Map<string, Declaration>, readInRuns: Set<string>): RawFinding[] {
  const read = new Set<string>();
  const patterns: RegExp[] = [];
  for (const s of sites) {
    if (s.kind !== 'read') continue;
    if (s.key !== null) read.add(s.key);
    else if (s.pattern !== null) patterns.push(new RegExp(`^${s.pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  }
  const out: RawFinding[] = [];
  for (const d of declared.values()) {
    if (read.has(d.key) || readInRuns.has(d.key) || patterns.some((p) => p.test(d.key))) continue;
    out.push({ rule: 'declared-unused', message: `${d.key} is declared in ${d.file} but read nowhere`, file: d.file, line: d.line, column: d.column, key: d.key });
  }
  return out;
}

/** Whether the directory of `file` is, or is below, one of the allowed package paths. */
export function allowed(file: string, allow: string[]): boolean {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  return allow.some((p) => p === '' || p === '.' ? dir === '' : dir === p || dir.startsWith(p + '/'));
}

const WRITES = new Set(['write', 'unset', 'clear']);

/** Environment writes in non-test files outside the allowed package directories. */
export function envWritesOutsideTests(sites: Site[], allow: string[]): RawFinding[] {
  return sites
    .filter((s) => WRITES.has(s.kind) && !s.test && !allowed(s.file, allow))
    .map((s) => ({
      rule: 'env-write-outside-tests',
      message: `${s.api}${s.key !== null ? `(${JSON.stringify(s.key)})` : ''} changes the process environment outside tests`,
      ...at(s),
      key: s.key,
    }));
}
