/**
 * The run store: `.envtrace/runs/<id>/` with `run.json` and the recorder's process files,
 * `.envtrace/.gitignore` (`*`), `.envtrace/key` (mode 0600, the key of the recorder's
 * keyed hash of redacted values; never copied into a run), newest-N retention.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ensureOwnDir, makeNewDir, replaceFile, UnsafeWriteError, writeNewFile } from '../files/writeSafe';
import { readRegularText, UnreadableFile } from '../files/readRegular';
import { loadOrCreateKey } from './key';
import { runState } from './liveness';
import { redactArgvForDisplay } from '../tracer/argv';

/** `run.json`: what the CLI knows about a run. Times are ISO 8601 strings. */
export interface RunInfo {
  version: 1;
  id: string;
  label: string | null;
  /** Secrets redacted (by the recorder's argv rules), unless `noRedact`; see readRunInfo. */
  command: string[];
  cwd: string;
  start: string;
  end: string | null;
  exitCode: number | null;
  goVersion: string | null;
  goos: string | null;
  goarch: string | null;
  gitCommit: string | null;
  /** GOROOT and GOMODCACHE of the go command used, to map trimpath files of std and modules. */
  goroot?: string | null;
  gomodcache?: string | null;
  /** "run": started by `envtrace run`; "env": registered by `envtrace env` for a build run by hand. */
  mode: 'run' | 'env';
  /** The envtrace process recording a "run" (see liveness.ts): pid, its start time, host. */
  pid?: number | null;
  pidStart?: string | null;
  host?: string | null;
  /** True when this run's traced build is the first with its overlay (it recompiles part of the standard library). */
  firstBuild?: boolean;
  /** True when the run was recorded with `--no-redact`: its command line is shown in clear. */
  noRedact?: boolean;
  /** The pid of the command envtrace started (a go command whose parent it is names it: "set by make"). */
  commandPid?: number;
  /** Why the go command itself was not traced (its build failed, or --no-go-command: "off"). */
  goCommand?: { traced: boolean; note?: string };
  /** What envtrace put in the command's environment for the go command (analysis/goConfig.ts). */
  goEnv?: { inherited: string[]; set: string[]; addedGoFlags: string[] };
  /** A run made by `envtrace import` (a fleet run): its sources, what was skipped, duplicates left out. */
  imported?: { sources: string[]; notes: string[]; duplicates: number };
}

/** A stored run: its directory and run.json. */
export interface StoredRun {
  dir: string;
  info: RunInfo;
}

/** An input problem with the store (no run, unreadable run.json); the CLI shows it as one line. */
export class RunStoreError extends Error {}

/** Runs kept by default. */
export const DEFAULT_KEEP = 20;

/** The `.envtrace` directory for a base directory (`--dir`); a path ending in `.envtrace` is used as is. */
export function storeRoot(base: string): string {
  const abs = resolve(base);
  return basename(abs) === '.envtrace' ? abs : join(abs, '.envtrace');
}

/**
 * Creates `.envtrace/` and `.envtrace/runs` (0700) or checks them (real directories owned by
 * the user, never symlinks), and `.envtrace/.gitignore` (`*`) unless a regular file is there.
 * Throws UnsafeWriteError with a one-line message.
 */
export async function ensureStore(root: string): Promise<void> {
  // The folder that holds the store is the user's (the workspace, or a configured directory).
  await mkdir(dirname(root), { recursive: true }).catch(() => undefined);
  await ensureOwnDir(root);
  await ensureOwnDir(join(root, 'runs'));
  const ignore = join(root, '.gitignore');
  const st = await lstat(ignore).catch(() => null);
  if (st?.isSymbolicLink()) throw new UnsafeWriteError(`${ignore} is a symlink; envtrace does not write through links (a cloned repository could aim it anywhere): remove it`);
  if (st) return; // the user's own ignore file, or one envtrace wrote earlier
  await writeNewFile(ignore, '*\n').catch((e: unknown) => {
    // Another envtrace wrote it meanwhile: fine. Anything else is a real problem.
    if (!(e instanceof UnsafeWriteError && /already exists/.test(e.message))) throw e;
  });
}

/** The workspace's hash key (hex): checked when it exists, created atomically (0600) on first use. */
export async function workspaceKey(root: string): Promise<string> {
  await ensureStore(root);
  return loadOrCreateKey(root);
}

/** A new run id: UTC time, sortable, plus a random suffix. */
export function newRunId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(3).toString('hex')}`;
}

/** Creates a run directory with its run.json; returns it. */
export async function createRun(root: string, info: Omit<RunInfo, 'version' | 'id'>): Promise<StoredRun> {
  await ensureStore(root);
  const id = newRunId(new Date(info.start));
  const dir = join(root, 'runs', id);
  await makeNewDir(dir);
  const full: RunInfo = { version: 1, id, ...info };
  await writeNewFile(join(dir, 'run.json'), runJson(full));
  return { dir, info: full };
}

/** Replaces run.json (a new file renamed over the old one). */
export async function writeRunInfo(dir: string, info: RunInfo): Promise<void> {
  await replaceFile(join(dir, 'run.json'), runJson(info));
}

function runJson(info: RunInfo): string {
  return JSON.stringify(info, null, 2) + '\n';
}

/** run.json holds a command line and a few fields: a bigger one is not envtrace's. */
export const MAX_RUN_JSON = 4 << 20;

/** Reads run.json of a run directory; throws RunStoreError when it is not readable. */
export async function readRunInfo(dir: string): Promise<RunInfo> {
  let text: string;
  try {
    text = await readRegularText(join(dir, 'run.json'), { within: dir, maxBytes: MAX_RUN_JSON });
  } catch (e) {
    if (e instanceof UnreadableFile) throw new RunStoreError(e.message);
    throw new RunStoreError(`${dir} has no run.json`);
  }
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    throw new RunStoreError(`${join(dir, 'run.json')} is corrupt (not JSON)`);
  }
  const r = o as Partial<RunInfo>;
  if (typeof o !== 'object' || o === null || typeof r.id !== 'string' || !Array.isArray(r.command)) {
    throw new RunStoreError(`${join(dir, 'run.json')} is corrupt (no id or command)`);
  }
  // Fields of the wrong type (a hand-edited or hostile run.json) read as absent.
  const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);
  return {
    version: 1,
    id: r.id,
    label: str(r.label),
    // NOTE: runs recorded before command lines were redacted hold secret flags in clear;
    // they are shown redacted (`<redacted>`) unless the run was recorded with --no-redact.
    command: r.noRedact === true ? r.command.map(String) : redactArgvForDisplay(r.command.map(String)),
    cwd: str(r.cwd) ?? dir,
    start: str(r.start) ?? '',
    end: str(r.end),
    exitCode: Number.isSafeInteger(r.exitCode) ? r.exitCode! : null,
    goVersion: str(r.goVersion),
    goos: str(r.goos),
    goarch: str(r.goarch),
    gitCommit: str(r.gitCommit),
    goroot: str(r.goroot),
    gomodcache: str(r.gomodcache),
    mode: r.mode === 'env' ? 'env' : 'run',
    pid: typeof r.pid === 'number' ? r.pid : null,
    pidStart: typeof r.pidStart === 'string' ? r.pidStart : null,
    host: typeof r.host === 'string' ? r.host : null,
    ...(r.noRedact === true ? { noRedact: true } : {}),
    ...(Number.isSafeInteger(r.commandPid) ? { commandPid: r.commandPid } : {}),
    ...(r.goCommand && typeof r.goCommand === 'object' && typeof r.goCommand.traced === 'boolean'
      ? { goCommand: { traced: r.goCommand.traced, ...(typeof r.goCommand.note === 'string' ? { note: r.goCommand.note } : {}) } }
      : {}),
    ...(r.goEnv && Array.isArray(r.goEnv.inherited) && Array.isArray(r.goEnv.set) && Array.isArray(r.goEnv.addedGoFlags)
      ? { goEnv: { inherited: r.goEnv.inherited.map(String), set: r.goEnv.set.map(String), addedGoFlags: r.goEnv.addedGoFlags.map(String) } }
      : {}),
    ...(r.imported && typeof r.imported === 'object' && Array.isArray(r.imported.sources) && Array.isArray(r.imported.notes)
      ? { imported: { sources: r.imported.sources.map(String), notes: r.imported.notes.map(String), duplicates: Number.isSafeInteger(r.imported.duplicates) ? r.imported.duplicates : 0 } }
      : {}),
  };
}

/** The runs of a store, newest first; runs whose run.json cannot be read are left out. */
export async function listRuns(root: string): Promise<StoredRun[]> {
  let names: string[];
  try {
    names = await readdir(join(root, 'runs'));
  } catch {
    return [];
  }
  const runs: StoredRun[] = [];
  for (const name of names) {
    const dir = join(root, 'runs', name);
    try {
      runs.push({ dir, info: await readRunInfo(dir) });
    } catch {
      // not a run (or a corrupt one): `envtrace report <dir>` names the problem
    }
  }
  return runs.sort((a, b) => (a.info.start < b.info.start ? 1 : a.info.start > b.info.start ? -1 : a.info.id < b.info.id ? 1 : -1));
}

/** Deletes all but the newest `keep` runs (sparing runs another envtrace is still running); returns the deleted ids. */
export async function pruneRuns(root: string, keep: number, now = Date.now()): Promise<string[]> {
  // No more entries than runs to keep: nothing to delete, and no run.json to read (start-up).
  const names = await readdir(join(root, 'runs')).catch(() => []);
  if (names.length <= keep) return [];
  const runs = await listRuns(root);
  const running = (r: StoredRun) => runState(r.info, now) === 'running';
  const old = runs.slice(Math.max(0, keep)).filter((r) => !running(r));
  for (const r of old) await rm(r.dir, { recursive: true, force: true });
  return old.map((r) => r.info.id);
}

/**
 * Finds a run: none given → the newest; an id of the store; or a path to a run directory
 * (a directory of process files without run.json is accepted too).
 */
export async function resolveRun(root: string, spec: string | undefined, cwd: string): Promise<StoredRun> {
  if (spec === undefined) {
    const runs = await listRuns(root);
    if (!runs.length) throw new RunStoreError(`no runs stored in ${join(root, 'runs')}`);
    return runs[0];
  }
  const byId = join(root, 'runs', spec);
  if (/^[\w.-]+$/.test(spec) && (await isDir(byId))) return { dir: byId, info: await readRunInfo(byId) };
  const dir = resolve(cwd, spec);
  if (!(await isDir(dir))) throw new RunStoreError(`no run "${spec}" (neither an id in ${join(root, 'runs')} nor a directory)`);
  if (await exists(join(dir, 'run.json'))) return { dir, info: await readRunInfo(dir) };
  const files = (await readdir(dir)).filter((n) => n.endsWith('.jsonl'));
  if (!files.length) throw new RunStoreError(`${dir} is not a run directory (no run.json, no process files)`);
  return {
    dir,
    info: { version: 1, id: basename(dir), label: null, command: [], cwd: dir, start: '', end: null, exitCode: null, goVersion: null, goos: null, goarch: null, gitCommit: null, mode: 'env' },
  };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
