/**
 * The runs the server shows, per workspace folder: a ShownRuns over the folder's store
 * (`.envtrace` or `envtrace.runs.directory`), refreshed when the store changes (watched
 * files, or an fs.watch fallback), with the loaded observations that the features read
 * synchronously. Refreshes of one folder run one at a time; a request during a refresh
 * waits for it.
 */
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { type RunsShown } from '../analysis/loadObservations';
import type { Observations } from '../analysis/observations';
import { ShownRuns } from '../analysis/shownRuns';
import { runState } from '../runs/liveness';
import { listRuns, storeRoot } from '../runs/store';
import type { RunCounts, RunSummary } from '../protocol';
import { KeyCounter } from '../runs/keyCount';
import { RunStoreWatcher } from './runWatch';

/** The runs of one workspace folder. */
export interface FolderRuns {
  readonly uri: string;
  readonly root: string;
  readonly storeDir: string;
  shown: ShownRuns;
  /** The setting's rule; `override` (from envtrace/showRuns) wins until the setting changes. */
  setting: RunsShown;
  override: RunsShown | null;
  watcher: RunStoreWatcher | null;
  /** The refresh in progress (or the last one). */
  busy: Promise<boolean>;
  /** Problems already logged (each once). */
  logged: Set<string>;
  /** A later look at runs still being recorded: an envtrace killed mid-run changes no file. */
  recheck: NodeJS.Timeout | null;
}

/** How often the store is looked at again while one of its runs is being recorded. */
const RECHECK_MS = 15_000;

/** The store directory of a folder: `envtrace.runs.directory` (folder-relative or absolute) or `<folder>/.envtrace`. */
export function storeDirFor(root: string, directory: string): string {
  if (!directory) return storeRoot(root);
  return storeRoot(isAbsolute(directory) ? directory : resolve(root, directory));
}

/** Every folder's shown runs. */
export class RunsManager {
  private readonly folders = new Map<string, FolderRuns>();

  constructor(
    private readonly log: (m: string) => void,
    /** Called after a folder's shown runs changed (new observations). */
    private readonly onChange: (folder: FolderRuns) => void,
  ) {}

  /** Adds a folder or updates its store and rule; `fsWatch`: watch the store with fs.watch. Refreshes it. */
  async configure(uri: string, root: string, storeDir: string, setting: RunsShown, fsWatch: boolean): Promise<void> {
    let f = this.folders.get(uri);
    if (f && f.storeDir !== storeDir) {
      this.remove(uri);
      f = undefined;
    }
    if (!f) {
      f = { uri, root, storeDir, shown: new ShownRuns(storeDir, setting), setting, override: null, watcher: null, busy: Promise.resolve(false), logged: new Set(), recheck: null };
      this.folders.set(uri, f);
    }
    if (f.setting !== setting) {
      // A changed setting wins over earlier envtrace/showRuns choices.
      f.override = null;
      f.shown.choose(null);
    }
    f.setting = setting;
    f.shown.setShown(f.override ?? setting);
    if (fsWatch && !f.watcher) f.watcher = new RunStoreWatcher(storeDir, () => void this.refresh(uri), this.log);
    await this.refresh(uri);
  }

  /** Forgets a folder. */
  remove(uri: string): void {
    const f = this.folders.get(uri);
    f?.watcher?.close();
    if (f?.recheck) clearTimeout(f.recheck);
    this.folders.delete(uri);
  }

  /** Stops every watcher. */
  dispose(): void {
    for (const uri of [...this.folders.keys()]) this.remove(uri);
  }

  /** The folder's runs, or every folder's when `uri` is undefined. */
  get(uri?: string): FolderRuns[] {
    if (uri === undefined) return [...this.folders.values()];
    const f = this.folders.get(uri);
    return f ? [f] : [];
  }

  /** The observations shown for a folder (empty when it has none). */
  observations(uri: string): Observations | undefined {
    return this.folders.get(uri)?.shown.observations;
  }

  /** The folder's newest complete runs that are not shown, newest first (for sites the shown runs did not reach). */
  earlier(uri: string): readonly Observations[] {
    return this.folders.get(uri)?.shown.earlier ?? [];
  }

  /** True when `path` lies in some folder's run store (a watched-file event to react to). */
  isStorePath(path: string): boolean {
    return [...this.folders.values()].some((f) => path === f.storeDir || path.startsWith(f.storeDir + '/') || path.startsWith(f.storeDir + '\\'));
  }

  /** Re-reads a folder's store (every folder's when absent); reports changes through onChange. */
  async refresh(uri?: string): Promise<void> {
    await Promise.all(this.get(uri).map((f) => this.refreshFolder(f)));
  }

  private refreshFolder(f: FolderRuns): Promise<boolean> {
    const next = f.busy.then(async () => {
      if (this.folders.get(f.uri) !== f) return false;
      let changed = false;
      const started = Date.now();
      try {
        changed = await f.shown.refresh();
        const obs = f.shown.observations;
        if (changed) this.log(`envtrace: showing ${obs.runs.length} run(s) of ${f.storeDir} (${obs.runs.reduce((n, r) => n + r.events, 0)} events) loaded in ${Date.now() - started} ms`);
      } catch (e) {
        this.log(`envtrace: loading runs of ${f.storeDir} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (changed) {
        this.logProblems(f);
        this.onChange(f);
      }
      await this.scheduleRecheck(f);
      return changed;
    });
    f.busy = next.catch(() => false);
    return next;
  }

  /** While a run of the folder is being recorded, refreshes again later: if its envtrace was killed, the run shows as interrupted. */
  private async scheduleRecheck(f: FolderRuns): Promise<void> {
    if (f.recheck) return;
    const recording = (await f.shown.list().catch(() => [])).some((r) => !r.complete);
    if (!recording || this.folders.get(f.uri) !== f) return;
    f.recheck = setTimeout(() => {
      f.recheck = null;
      void this.refresh(f.uri);
    }, RECHECK_MS);
    f.recheck.unref();
  }

  /** Shows exactly `ids`, or runs by `mode`, or (neither) the setting again; then refreshes. */
  async choose(f: FolderRuns, ids: string[] | undefined, mode: RunsShown | undefined): Promise<void> {
    if (ids && ids.length) f.shown.choose(ids.map((id) => (isAbsolute(id) || /[\\/]/.test(id) ? resolve(f.root, id) : id)));
    else {
      f.shown.choose(null);
      f.override = mode ?? null;
      f.shown.setShown(f.override ?? f.setting);
    }
    await this.refreshFolder(f);
  }

  /** Adds a report or run directory to the folder's shown runs; returns its summary. Throws a one-line Error when unreadable. */
  async importRun(f: FolderRuns, path: string): Promise<RunSummary> {
    const abs = resolve(f.root, path);
    await checkImportable(abs);
    f.shown.importReport(abs);
    await this.refreshFolder(f);
    const run = (await this.summaries(f)).find((r) => r.source === abs);
    if (!run) throw new Error(`${abs} could not be loaded`);
    return run;
  }

  /** The folder's stored runs (newest first) and imported runs, with counts for the loaded ones. */
  async summaries(f: FolderRuns): Promise<RunSummary[]> {
    await f.busy;
    const obs = f.shown.observations;
    const loaded = new Map(obs.runs.map((r) => [r.source, r]));
    const out: RunSummary[] = [];
    const stored = await listRuns(f.storeDir).catch(() => []);
    const shownIds = new Set((await f.shown.list().catch(() => [])).filter((c) => c.shown).map((c) => c.id));
    for (const s of stored) {
      const r = loaded.get(s.dir);
      out.push({
        id: s.info.id,
        label: s.info.label,
        command: s.info.command,
        start: s.info.start,
        end: s.info.end,
        exitCode: s.info.exitCode,
        source: s.dir,
        kind: 'stored',
        complete: runState(s.info) !== 'running',
        interrupted: runState(s.info) === 'interrupted',
        shown: shownIds.has(s.info.id) && r !== undefined,
        counts: r ? runCounts(obs, [r.index]) : null,
        problem: r ? problemOf(r) : null,
        folderUri: f.uri,
      });
      loaded.delete(s.dir);
    }
    for (const r of loaded.values()) {
      out.push({
        id: r.id,
        label: r.label,
        command: r.command,
        start: r.start,
        end: null,
        exitCode: r.exitCode,
        source: r.source,
        kind: 'imported',
        complete: true,
        interrupted: false,
        shown: true,
        counts: runCounts(obs, [r.index]),
        problem: problemOf(r),
        folderUri: f.uri,
      });
    }
    return out;
  }

  /** Logs each run problem of a folder once. */
  private logProblems(f: FolderRuns): void {
    for (const r of f.shown.observations.runs) {
      const p = problemOf(r);
      if (p === null || f.logged.has(`${r.source}\u0000${p}`)) continue;
      f.logged.add(`${r.source}\u0000${p}`);
      this.log(`envtrace: run ${r.id} (${r.source}): ${p}`);
    }
  }
}

/** One line on what could not be read in a run, or null. */
export function problemOf(r: Observations['runs'][number]): string | null {
  const p = r.problems;
  if (p.message) return p.message;
  const parts: string[] = [];
  if (p.badLines) parts.push(`${p.badLines} unreadable line${p.badLines === 1 ? '' : 's'} skipped`);
  if (p.lostEvents) parts.push(`${p.lostEvents} event${p.lostEvents === 1 ? '' : 's'} lost`);
  if (p.unreadableFiles) parts.push(`${p.unreadableFiles} process file${p.unreadableFiles === 1 ? '' : 's'} unreadable`);
  return parts.length ? parts.join(', ') : null;
}

/** Counts of the given runs of `obs` (all when `runs` is absent). */
export function runCounts(obs: Observations, runs?: number[]): RunCounts {
  const only = runs ? new Set(runs) : null;
  const keys = new KeyCounter();
  const races = new Set<string>();
  let events = 0;
  let badLines = 0;
  for (const r of obs.runs) {
    if (only && !only.has(r.index)) continue;
    events += r.events;
    badLines += r.problems.badLines + r.problems.lostEvents;
    for (const k of r.races.keys()) races.add(k);
  }
  for (const e of obs.entries) if (!only || only.has(e.run)) keys.add(e.key, e.op, e.api, e.found);
  const processes = obs.processes.filter((p) => !only || only.has(p.run)).length;
  return { events, processes, ...keys.counts(), races: races.size, badLines };
}

/** Throws a one-line Error unless `path` is a JSON file or a directory with run.json or process files. */
async function checkImportable(path: string): Promise<void> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new Error(`${path} does not exist`);
  }
  if (st.isDirectory()) {
    const names = await readdir(path);
    if (!names.includes('run.json') && !names.some((n) => n.endsWith('.jsonl'))) throw new Error(`${path} is not a run directory (no run.json, no process files)`);
  } else if (!st.isFile()) throw new Error(`${path} is neither a report file nor a run directory`);
}

/** `<store>/runs/<id>` when `spec` names a stored run, else the path it names (folder-relative or absolute). */
export function runPath(f: FolderRuns, spec: string): string {
  return /^[\w.-]+$/.test(spec) ? join(f.storeDir, 'runs', spec) : resolve(f.root, spec);
}
