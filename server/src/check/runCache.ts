/**
 * Remembers what the run rules found in complete runs, so the language server, which re-runs
 * the check after every edit, reads a finished run once rather than on each keystroke. A run
 * still being recorded (no `end` in run.json) is read every time. The CLI checks once per
 * process and gains nothing, loses nothing. The run's observers (secret policy, value drift)
 * are read-only once the run is read, so they are kept with its result.
 */
import type { StoredRun } from '../runs/store';
import type { RaceLevel } from './config';
import type { Declaration } from './declared';
import { checkRun, type RunCheck } from './runRules';
import { type SecretPolicy, SecretPolicyObserver } from './secretPolicy';
import { DriftObserver } from './valueDrift';

/** What the run rules depend on besides the run. */
export interface RunRuleInputs {
  root: string;
  required: Set<string>;
  raceLevel: RaceLevel;
  noDefault: Set<string>;
  declared: Map<string, Declaration>;
  secretPolicy: SecretPolicy;
  agreed: (key: string) => boolean;
  /** The config's `agree` list, standing for `agreed` in the cache key. */
  agree: string[];
}

/** A run read once: the run rules' result and its observers. */
export interface CheckedRun {
  check: RunCheck;
  policy: SecretPolicyObserver;
  drift: DriftObserver;
}

/** Results kept (each run shown in the editor, a few config variants). */
const KEEP = 16;
const cache = new Map<string, Promise<CheckedRun>>();

async function read(run: StoredRun, i: RunRuleInputs): Promise<CheckedRun> {
  const policy = new SecretPolicyObserver(run.info.id, i.root, i.declared, i.secretPolicy);
  const drift = new DriftObserver(run.info.id, i.agreed);
  const check = await checkRun(run, i.root, i.required, i.raceLevel, i.noDefault, [policy, drift]);
  return { check, policy, drift };
}

function cacheKey(run: StoredRun, i: RunRuleInputs): string {
  const secrets = [...i.declared.values()].filter((d) => d.info.secret).map((d) => d.key);
  const sorted = (s: Iterable<string>) => [...s].sort();
  return JSON.stringify([run.dir, run.info.start, run.info.end, i.root, sorted(i.required), i.raceLevel, sorted(i.noDefault), sorted(secrets), i.secretPolicy, i.agree]);
}

/** The run read with these inputs, from the cache when the same complete run was. */
export function cachedCheckRun(run: StoredRun, inputs: RunRuleInputs): Promise<CheckedRun> {
  if (!run.info.end) return read(run, inputs);
  const id = cacheKey(run, inputs);
  let hit = cache.get(id);
  if (hit) {
    // Most recently used last, so the oldest goes first.
    cache.delete(id);
  } else {
    hit = read(run, inputs);
    hit.catch(() => cache.delete(id));
  }
  cache.set(id, hit);
  while (cache.size > KEEP) cache.delete(cache.keys().next().value!);
  return hit;
}
