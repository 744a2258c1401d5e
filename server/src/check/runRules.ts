/**
 * The rules that read a stored run: `race` (a race at or above the configured level) and
 * `required-unset` (a required key read and found unset, or a read whose static site under
 * the root has no default found unset). One streaming pass per run, through the same reader
 * and aggregate `envtrace report` uses.
 */
import { withoutGoCommands } from '../runs/goCommand';
import { relative, sep } from 'node:path';
import { RunAggregate } from '../runs/aggregate';
import { readOptionsFor } from '../runs/load';
import { readRun, type ProcessInfo, type RunEvent } from '../runs/reader';
import { showFile } from '../runs/text';
import { raceDetail } from '../analysis/races';
import type { StoredRun } from '../runs/store';
import type { Site } from '../scan/types';
import { RACE_LEVELS, type RaceLevel } from './config';
import type { RawFinding } from './finding';

/** What the run rules found in one run, and the keys it read (for `declared-unused`). */
export interface RunCheck {
  findings: RawFinding[];
  readKeys: Set<string>;
}

/** A file of the run as a path under `root` with `/`, or null when it lies outside. */
export function under(root: string, file: string | null | undefined): string | null {
  if (!file) return null;
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep) || /^[a-zA-Z]:/.test(rel)) return null;
  return rel.split(sep).join('/');
}

/** Another rule's view of a run's events, fed by the same pass (`secret-hygiene`, `value-drift`). */
export interface RunObserver {
  event(e: RunEvent, p: ProcessInfo): void;
}

/** An unset read worth a `required-unset`: the key is required, or its site has no default. */
interface UnsetRead {
  e: RunEvent;
  p: ProcessInfo;
  required: boolean;
}

/** `file\0line` of each non-test read site under the root that names its key and has no default. */
export function noDefaultReads(sites: Site[]): Set<string> {
  return new Set(sites.filter((s) => s.kind === 'read' && !s.test && s.key !== null && s.default === null).map((s) => `${s.key}\0${s.file}\0${s.line}`));
}

/** The aggregate plus the unset reads of required keys or at default-less sites, first per key and site. */
class CheckVisitor extends RunAggregate {
  readonly unset = new Map<string, UnsetRead>();
  readonly readKeys = new Set<string>();
  constructor(
    private readonly root: string,
    private readonly required: Set<string>,
    private readonly noDefault: Set<string>,
    private readonly observers: RunObserver[],
  ) {
    super();
  }
  override event(e: RunEvent, p?: ProcessInfo): void {
    super.event(e);
    if (p) for (const o of this.observers) o.event(e, p);
    if (e.op !== 'getenv' || e.key === undefined || e.user === null) return;
    this.readKeys.add(e.key);
    if (e.found || !p) return;
    const id = `${e.key}\0${e.user.file}\0${e.user.line}`;
    if (this.unset.has(id)) return;
    const required = this.required.has(e.key);
    const file = under(this.root, e.user.file);
    if (required || (file !== null && this.noDefault.has(`${e.key}\0${file}\0${e.user.line}`))) this.unset.set(id, { e, p, required });
  }
}

/** Runs `race` and `required-unset` over one stored run; locations relative to `root`. */
export async function checkRun(run: StoredRun, root: string, required: Set<string>, raceLevel: RaceLevel, noDefault: Set<string> = new Set(), observers: RunObserver[] = []): Promise<RunCheck> {
  const v = new CheckVisitor(root, required, noDefault, observers);
  // Only keys a process writes can race there: the written-keys scan spares the rest (runs/writtenKeys.ts).
  await readRun(run.dir, withoutGoCommands(v), readOptionsFor(run, { writtenKeys: true }));
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
  for (const { e, p, required: req } of v.unset.values()) {
    const file = under(root, e.user?.file);
    const prog = p.argv[0] ?? `pid ${p.pid}`;
    const place = file ? '' : ` at ${e.user?.file}:${e.user?.line}`;
    const what = req ? `required ${e.key} was unset when read` : `${e.key} was unset when read by code with no default`;
    findings.push({ rule: 'required-unset', message: `${what}${place} in run ${run.info.id} (process ${p.pid}, ${prog})`, file, line: file ? (e.user?.line ?? null) : null, column: null, key: e.key ?? null });
  }
  return { findings, readKeys: v.readKeys };
}
