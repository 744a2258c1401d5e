/**
 * The rules that read a stored run: `race` (a race at or above the configured level) and
 * `required-unset` (a required key read and found unset). One streaming pass per run,
 * through the same reader and aggregate `envtrace report` uses.
 */
import { withoutGoCommands } from '../runs/goCommand';
import { relative, sep } from 'node:path';
import { RunAggregate } from '../runs/aggregate';
import { readOptionsFor } from '../runs/load';
import { readRun, type ProcessInfo, type RunEvent } from '../runs/reader';
import { showFile } from '../runs/text';
import { raceDetail } from '../analysis/races';
import type { StoredRun } from '../runs/store';
import { RACE_LEVELS, type RaceLevel } from './config';
import type { RawFinding } from './finding';

/** What the run rules found in one run, and the keys it read (for `declared-unused`). */
export interface RunCheck {
  findings: RawFinding[];
  readKeys: Set<string>;
}

/** A file of the run as a path under `root` with `/`, or null when it lies outside. */
function under(root: string, file: string | null | undefined): string | null {
  if (!file) return null;
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep) || /^[a-zA-Z]:/.test(rel)) return null;
  return rel.split(sep).join('/');
}

/** The aggregate plus the unset reads of required keys, first per key and site. */
class CheckVisitor extends RunAggregate {
  readonly unset = new Map<string, { e: RunEvent; p: ProcessInfo }>();
  readonly readKeys = new Set<string>();
  constructor(private readonly required: Set<string>) {
    super();
  }
  override event(e: RunEvent, p?: ProcessInfo): void {
    super.event(e);
    if (e.op !== 'getenv' || e.key === undefined || e.user === null) return;
    this.readKeys.add(e.key);
    const id = `${e.key}\0${e.user.file}\0${e.user.line}`;
    if (!e.found && p && this.required.has(e.key) && !this.unset.has(id)) this.unset.set(id, { e, p });
  }
}

/** Runs `race` and `required-unset` over one stored run; locations relative to `root`. */
export async function checkRun(run: StoredRun, root: string, required: Set<string>, raceLevel: RaceLevel): Promise<RunCheck> {
  const v = new CheckVisitor(required);
  await readRun(run.dir, withoutGoCommands(v), readOptionsFor(run));
  const findings: RawFinding[] = [];
  const worst = RACE_LEVELS.indexOf(raceLevel);
  for (const [key, race] of v.races()) {
    if (RACE_LEVELS.indexOf(race.level) > worst) continue;
    const party = race.readers.find((r) => under(root, r.file)) ?? race.writers.find((w) => under(root, w.file)) ?? race.readers[0] ?? race.writers[0];
    const file = under(root, party?.file);
    findings.push({
      rule: 'race',
      message: `${race.level} race on ${key} in run ${run.info.id}: ${raceDetail(key, race, (f) => showFile(f, root))}`,
      file,
      line: file ? (party?.line ?? null) : null,
      column: null,
      key,
    });
  }
  for (const { e, p } of v.unset.values()) {
    const file = under(root, e.user?.file);
    const prog = p.argv[0] ?? `pid ${p.pid}`;
    const place = file ? '' : ` at ${e.user?.file}:${e.user?.line}`;
    findings.push({ rule: 'required-unset', message: `required ${e.key} was unset when read${place} in run ${run.info.id} (process ${p.pid}, ${prog})`, file, line: file ? (e.user?.line ?? null) : null, column: null, key: e.key ?? null });
  }
  return { findings, readKeys: v.readKeys };
}
