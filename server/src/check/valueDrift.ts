/**
 * `value-drift` (two or more runs): a key the config says runs must agree on (`agree`: keys
 * or `*` patterns) read with different values in different runs. Values are compared by
 * what the run stored — the value, or for a redacted one its keyed hash (equal only for runs
 * recorded under the same workspace key) — plus "unset"; messages never show a value.
 */
import type { ProcessInfo, RunEvent } from '../runs/reader';
import type { RawFinding } from './finding';
import type { RunObserver } from './runRules';

/** A matcher for the `agree` list: exact keys and `*` globs. */
export function agreeMatcher(list: string[]): (key: string) => boolean {
  const exact = new Set(list.filter((p) => !p.includes('*')));
  const globs = list.filter((p) => p.includes('*')).map((p) => new RegExp(`^${p.split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (key) => exact.has(key) || globs.some((g) => g.test(key));
}

/** The distinct states (value, hash or unset) a run's reads of each agreed key saw. */
export class DriftObserver implements RunObserver {
  readonly states = new Map<string, Set<string>>();
  constructor(
    readonly runId: string,
    private readonly agreed: (key: string) => boolean,
  ) {}

  event(e: RunEvent, _p: ProcessInfo): void {
    if (e.op !== 'getenv' || e.key === undefined || !this.agreed(e.key)) return;
    const state = !e.found ? 'unset' : e.redacted ? `h:${e.hash}:${e.length}` : `v:${e.value}`;
    let set = this.states.get(e.key);
    if (!set) this.states.set(e.key, (set = new Set()));
    set.add(state);
  }
}

const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/** One finding per agreed key whose runs (those that read it) saw different values. */
export function driftFindings(runs: DriftObserver[]): RawFinding[] {
  if (runs.length < 2) return [];
  const keys = new Set(runs.flatMap((r) => [...r.states.keys()]));
  const out: RawFinding[] = [];
  for (const key of [...keys].sort()) {
    const seen = runs.filter((r) => r.states.has(key));
    if (seen.length < 2) continue;
    const first = seen[0].states.get(key)!;
    const differ = seen.filter((r) => !same(first, r.states.get(key)!));
    if (!differ.length) continue;
    const distinct = new Set(seen.flatMap((r) => [...r.states.get(key)!]));
    out.push({
      rule: 'value-drift',
      message: `${key} differs between runs that should agree: ${seen[0].runId} and ${differ.map((r) => r.runId).join(', ')} (${distinct.size} distinct values across ${seen.length} runs; values not shown)`,
      file: null,
      line: null,
      column: null,
      key,
    });
  }
  return out;
}
