/**
 * The runs the editor shows for one workspace folder: chosen from its store by the setting
 * (`latest` | `all` | N newest) or by an explicit choice, plus imported JSON reports; loaded
 * again only when that set or its files change. A run still being recorded (run.json
 * without `end`, its envtrace alive) is not shown until it completes, unless chosen
 * explicitly; an interrupted one (its envtrace gone) is shown with what it recorded.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chooseRuns, loadObservations, type RunsShown, type RunSource } from './loadObservations';
import { emptyObservations, type Observations } from './observations';
import type { ReadOptions } from '../runs/reader';
import { runState } from '../runs/liveness';
import { listRuns, type StoredRun } from '../runs/store';

/** A run of the store as the run picker lists it. */
export interface RunChoice {
  id: string;
  label: string | null;
  command: string[];
  start: string;
  complete: boolean;
  shown: boolean;
}

/** How many earlier runs (not shown) a site that the shown runs did not reach falls back to. */
export const EARLIER_RUNS = 3;

/**
 * The shown runs of one store, with their loaded observations, and the few newest complete
 * runs that are not shown (`earlier`, one Observations each, newest first): a site the shown
 * runs did not reach shows what the newest of them that reached it saw, saying which run.
 */
export class ShownRuns {
  private obs: Observations = emptyObservations();
  private earlierObs: Observations[] = [];
  /** Loaded earlier runs by fingerprint, so that a new run does not reload the others. */
  private earlierCache = new Map<string, Observations>();
  private signature = '';
  private shownSignature = '';
  private chosen: string[] | null = null;
  private readonly imports: string[] = [];

  constructor(
    readonly storeDir: string,
    private shown: RunsShown = 'latest',
    private readonly extra: ReadOptions = {},
  ) {}

  /** The observations of the shown runs (empty until the first refresh). */
  get observations(): Observations {
    return this.obs;
  }

  /** The newest complete stored runs that are not shown, newest first (at most EARLIER_RUNS). */
  get earlier(): readonly Observations[] {
    return this.earlierObs;
  }

  /** Follows the `envtrace.runs.show` setting (takes effect on the next refresh). */
  setShown(shown: RunsShown): void {
    this.shown = shown;
  }

  /** Shows exactly these runs (ids of the store, run directories or report files); null: the setting again. */
  choose(sources: string[] | null): void {
    this.chosen = sources && sources.length ? [...sources] : null;
  }

  /** Adds a JSON report (e.g. from CI) to the shown runs. */
  importReport(file: string): void {
    const abs = resolve(file);
    if (!this.imports.includes(abs)) this.imports.push(abs);
  }

  /** The store's runs, newest first, and whether each is shown now. */
  async list(): Promise<RunChoice[]> {
    const runs = await listRuns(this.storeDir);
    const shown = new Set((await this.sources(runs)).map((s) => (typeof s === 'string' ? s : s.dir)));
    return runs.map((r) => ({ id: r.info.id, label: r.info.label, command: r.info.command, start: r.info.start, complete: complete(r), shown: shown.has(r.dir) }));
  }

  /** Re-reads the store; loads the shown runs again when they or their files changed. True when they did. */
  async refresh(): Promise<boolean> {
    const runs = await listRuns(this.storeDir);
    const sources = await this.sources(runs);
    const shownDirs = new Set(sources.map((x) => (typeof x === 'string' ? x : x.dir)));
    // Older than the newest shown run of the store, complete, not shown.
    const newestShown = runs.findIndex((r) => shownDirs.has(r.dir));
    const earlier = runs.filter((r, i) => i > newestShown && complete(r) && !shownDirs.has(r.dir)).slice(0, EARLIER_RUNS);
    const prints = await Promise.all(sources.map(fingerprint));
    const earlierPrints = (await Promise.all(earlier.map(fingerprint))).map((x) => JSON.stringify(x));
    const signature = JSON.stringify([prints, earlierPrints]);
    if (signature === this.signature) return false;
    if (JSON.stringify(prints) !== this.shownSignature) this.obs = await loadObservations(sources, this.extra);
    this.shownSignature = JSON.stringify(prints);
    const cache = new Map<string, Observations>();
    for (let i = 0; i < earlier.length; i++) cache.set(earlierPrints[i], this.earlierCache.get(earlierPrints[i]) ?? (await loadObservations([earlier[i]], this.extra)));
    this.earlierCache = cache;
    this.earlierObs = [...cache.values()];
    this.signature = signature;
    return true;
  }

  private async sources(runs: StoredRun[]): Promise<RunSource[]> {
    let picked: RunSource[];
    if (this.chosen) {
      const byId = new Map(runs.map((r) => [r.info.id, r]));
      picked = this.chosen.map((c) => byId.get(c) ?? resolve(c));
    } else picked = chooseRuns(runs.filter(complete), this.shown);
    // An import that is a stored run shown anyway (a fleet run `envtrace import` made is the newest) is loaded once.
    const dirs = new Set(picked.map((s) => resolve(typeof s === 'string' ? s : s.dir)));
    return [...picked, ...this.imports.filter((i) => !dirs.has(i))];
  }
}

/** Finished, interrupted (its envtrace is gone: shown with what it recorded), or registered by `envtrace env`. */
function complete(r: StoredRun): boolean {
  return runState(r.info) !== 'running';
}

/** What changes when a run changes: run.json's end and the sizes and times of its files. */
async function fingerprint(source: RunSource): Promise<unknown> {
  const path = typeof source === 'string' ? source : source.dir;
  const end = typeof source === 'string' ? null : source.info.end;
  try {
    const st = await stat(path);
    if (!st.isDirectory()) return [path, st.size, st.mtimeMs];
    const names = (await readdir(path)).filter((n) => n.endsWith('.jsonl')).sort();
    // NOTE: a mapped process file (Linux) grows in 1 MB chunks: its size alone misses new records.
    const sizes = await Promise.all(names.map(async (n) => {
      const s = await stat(join(path, n));
      return [s.size, s.mtimeMs];
    }));
    return [path, end, names, sizes];
  } catch {
    return [path, 'missing'];
  }
}
