/**
 * Remembers what the run rules found in complete runs, so the language server, which re-runs
 * the check after every edit, reads a finished run once rather than on each keystroke. A run
 * still being recorded (no `end` in run.json) is read every time. The CLI checks once per
 * process and gains nothing, loses nothing.
 */
import type { StoredRun } from '../runs/store';
import type { RaceLevel } from './config';
import { checkRun, type RunCheck } from './runRules';

/** Results kept (each run shown in the editor, a few config variants). */
const KEEP = 16;
const cache = new Map<string, Promise<RunCheck>>();

/** checkRun, from the cache when the same complete run was checked with the same inputs. */
export function cachedCheckRun(run: StoredRun, root: string, required: Set<string>, raceLevel: RaceLevel): Promise<RunCheck> {
  if (!run.info.end) return checkRun(run, root, required, raceLevel);
  const id = JSON.stringify([run.dir, run.info.start, run.info.end, root, [...required].sort(), raceLevel]);
  let hit = cache.get(id);
  if (hit) {
    // Most recently used last, so the oldest goes first.
    cache.delete(id);
  } else {
    hit = checkRun(run, root, required, raceLevel);
    hit.catch(() => cache.delete(id));
  }
  cache.set(id, hit);
  while (cache.size > KEEP) cache.delete(cache.keys().next().value!);
  return hit;
}
