/**
 * Loading the shown runs into Observations: run directories (streamed by the run store's
 * reader) and JSON reports (replayed into the same consumer), and choosing which stored
 * runs are shown (`latest` | `all` | N newest).
 */
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ObservationsBuilder, type ObservedRun, type Observations, type RunMeta } from './observations';
import { replayReport } from './reportReplay';
import { readRun, type ReadOptions, type ReadStats } from '../runs/reader';
import { readOptionsFor } from '../runs/load';
import { GoCommandCollector, splitGoCommands } from '../runs/goCommand';
import { goModsOf, resolveGoCommands } from '../runs/goConfig';
import { listRuns, readRunInfo, type RunInfo, type StoredRun } from '../runs/store';

/** Which stored runs are shown: the newest, all of them, or the N newest (combined). */
export type RunsShown = 'latest' | 'all' | number;

/** A run to load: a run directory, a JSON report file, or a run already listed by the store. */
export type RunSource = string | StoredRun;

/** A source that names nothing readable (missing path, neither a run nor a report). */
export class RunSourceError extends Error {}

/** Parses the `envtrace.runs.show` setting; anything unrecognised means `latest`. */
export function parseRunsShown(value: unknown): RunsShown {
  if (value === 'all' || value === 'latest') return value;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : 'latest';
}

/** The runs to show out of a store's runs (newest first, as `listRuns` gives them). */
export function chooseRuns<T>(newestFirst: readonly T[], shown: RunsShown): T[] {
  if (shown === 'all') return [...newestFirst];
  return newestFirst.slice(0, shown === 'latest' ? 1 : shown);
}

/** The shown runs of a store directory (`.envtrace`), loaded. */
export async function loadStore(storeDir: string, shown: RunsShown = 'latest', extra: ReadOptions = {}): Promise<Observations> {
  return loadObservations(chooseRuns(await listRuns(storeDir), shown), extra);
}

/**
 * Loads runs into one Observations. A source that cannot be read is kept as a run with
 * `problems.message` set (nothing thrown), so the rest still shows.
 */
export async function loadObservations(sources: readonly RunSource[], extra: ReadOptions = {}): Promise<Observations> {
  const builder = new ObservationsBuilder();
  for (const s of sources) await addRun(builder, s, extra);
  return builder.obs;
}

/** Loads one source into `builder`; throws RunSourceError only when `strict` and it is unreadable. */
export async function addRun(builder: ObservationsBuilder, source: RunSource, extra: ReadOptions = {}, strict = false): Promise<ObservedRun> {
  const path = typeof source === 'string' ? resolve(source) : source.dir;
  let kind: 'dir' | 'report' | null = null;
  try {
    kind = (await stat(path)).isDirectory() ? 'dir' : 'report';
  } catch {
    kind = null;
  }
  if (kind === null) {
    const message = `${path} does not exist`;
    if (strict) throw new RunSourceError(message);
    return builder.failedRun(metaFor(path, 'dir'), message);
  }
  if (kind === 'report') return addReport(builder, path, strict);
  let run: StoredRun;
  try {
    run = typeof source === 'string' ? await storedRunAt(path) : source;
  } catch (e) {
    if (strict) throw new RunSourceError((e as Error).message);
    return builder.failedRun(metaFor(path, 'dir'), (e as Error).message);
  }
  const observer = builder.beginRun(metaFromInfo(run.dir, run.info));
  // The go commands' own reads stay out of the observations; their resolved configuration is kept.
  const go = new GoCommandCollector();
  let stats: ReadStats;
  try {
    stats = await readRun(run.dir, splitGoCommands(observer, go), readOptionsFor(run, { writtenKeys: true, ...extra }));
  } catch (e) {
    // e.g. the directory became unreadable: keep what was read, say why once
    if (strict) throw new RunSourceError(`${run.dir}: ${(e as Error).message}`);
    const r = observer.finish({ badLines: 0, lostEvents: 0, unreadableFiles: 1 });
    r.problems.message = `the run could not be read (${(e as Error).message.split('\n')[0]})`;
    return r;
  }
  const r = observer.finish(stats);
  if (go.commands.size) {
    const configs = resolveGoCommands(go, run.info);
    r.goCommands = [...go.commands.values()]
      .sort((a, b) => a.process.index - b.process.index)
      .map(({ process: p }) => ({ pid: p.pid, argv: p.argv, cwd: p.cwd, start: p.start, config: configs.get(p.pid)!, goMods: goModsOf(p.cwd, p.argv) }));
  }
  if (strict && stats.files === 0) throw new RunSourceError(`${run.dir} is not a run directory (no process files)`);
  if (stats.notes?.length) r.problems.message = notesMessage(stats.notes);
  if (stats.unreadableFiles && !r.problems.message) r.problems.message = `${stats.unreadableFiles} process file(s) could not be read (unknown version or no process record)`;
  return r;
}

async function addReport(builder: ObservationsBuilder, file: string, strict: boolean): Promise<ObservedRun> {
  const observer = builder.beginRun(metaFor(file, 'report'));
  const replay = await replayReport(file, observer);
  const r = observer.finish(replay, replay.races);
  if (replay.goCommands.length) r.goCommands = replay.goCommands.map((g) => ({ ...g, goMods: goModsOf(g.cwd, g.argv) }));
  const h = replay.head;
  if (strict && (h.version !== 1 || (replay.events === 0 && replay.message))) {
    throw new RunSourceError(`${file}: ${replay.message ?? 'not an envtrace report'}`);
  }
  Object.assign(r, {
    id: h.id ?? basename(file).replace(/\.json$/i, ''),
    label: h.label,
    command: h.command,
    cwd: h.cwd,
    exitCode: h.exitCode,
    goVersion: h.goVersion,
  });
  r.windows ||= replay.windows;
  if (replay.message) r.problems.message = replay.message;
  else if (replay.notes.length) r.problems.message = notesMessage(replay.notes);
  return r;
}

/** Skipped-file notes as one line: the first three, then how many more. */
function notesMessage(notes: readonly string[]): string {
  return notes.slice(0, 3).join('; ') + (notes.length > 3 ? `; +${notes.length - 3} more` : '');
}

/** A run directory: its run.json, or (process files without one) a run named after the directory. */
async function storedRunAt(dir: string): Promise<StoredRun> {
  try {
    await stat(join(dir, 'run.json'));
  } catch {
    return { dir, info: { version: 1, id: basename(dir), label: null, command: [], cwd: dir, start: '', end: null, exitCode: null, goVersion: null, goos: null, goarch: null, gitCommit: null, mode: 'env' } };
  }
  return { dir, info: await readRunInfo(dir) };
}

function metaFromInfo(dir: string, info: RunInfo): RunMeta {
  return { id: info.id, label: info.label, source: dir, kind: 'dir', command: info.command, cwd: info.cwd, start: info.start, exitCode: info.exitCode, goVersion: info.goVersion };
}

function metaFor(path: string, kind: 'dir' | 'report'): RunMeta {
  return { id: basename(path), label: null, source: path, kind, command: [], cwd: '', start: '', exitCode: null, goVersion: null };
}
