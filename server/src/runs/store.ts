/**
 * The run store: `.envtrace/runs/<id>/` with `run.json` and the recorder's process files,
 * `.envtrace/.gitignore` (`*`), `.envtrace/key` (mode 0600, the key of the recorder's
 * keyed hash of redacted values; never copied into a run), newest-N retention.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

/** `run.json`: what the CLI knows about a run. Times are ISO 8601 strings. */
export interface RunInfo {
  version: 1;
  id: string;
  label: string | null;
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
  /** True when this run's traced build is the first with its overlay (it recompiles part of the standard library). */
  firstBuild?: boolean;
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

/** Creates `.envtrace/runs` and `.envtrace/.gitignore`. */
export async function ensureStore(root: string): Promise<void> {
  await mkdir(join(root, 'runs'), { recursive: true });
  const ignore = join(root, '.gitignore');
  if (!(await exists(ignore))) await writeFile(ignore, '*\n');
}

/** The workspace's hash key (hex), created with mode 0600 on first use. */
export async function workspaceKey(root: string): Promise<string> {
  await ensureStore(root);
  const file = join(root, 'key');
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{32,}$/i.test(text)) {
      if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
      return text;
    }
  } catch {
    // missing: create below
  }
  const key = randomBytes(16).toString('hex');
  await writeFile(file, key + '\n', { mode: 0o600 });
  await chmod(file, 0o600);
  return key;
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
  await mkdir(dir, { recursive: true });
  const full: RunInfo = { version: 1, id, ...info };
  await writeRunInfo(dir, full);
  return { dir, info: full };
}

/** Writes run.json. */
export async function writeRunInfo(dir: string, info: RunInfo): Promise<void> {
  await writeFile(join(dir, 'run.json'), JSON.stringify(info, null, 2) + '\n');
}

/** Reads run.json of a run directory; throws RunStoreError when it is not readable. */
export async function readRunInfo(dir: string): Promise<RunInfo> {
  let text: string;
  try {
    text = await readFile(join(dir, 'run.json'), 'utf8');
  } catch {
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
  return {
    version: 1,
    id: r.id,
    label: r.label ?? null,
    command: r.command,
    cwd: r.cwd ?? dir,
    start: r.start ?? '',
    end: r.end ?? null,
    exitCode: r.exitCode ?? null,
    goVersion: r.goVersion ?? null,
    goos: r.goos ?? null,
    goarch: r.goarch ?? null,
    gitCommit: r.gitCommit ?? null,
    goroot: r.goroot ?? null,
    gomodcache: r.gomodcache ?? null,
    mode: r.mode === 'env' ? 'env' : 'run',
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

/** How long a run without an end time counts as still running (and is not pruned). */
const RUNNING_GRACE_MS = 24 * 3600 * 1000;

/** Deletes all but the newest `keep` runs (sparing runs another envtrace is still running); returns the deleted ids. */
export async function pruneRuns(root: string, keep: number, now = Date.now()): Promise<string[]> {
  const runs = await listRuns(root);
  const running = (r: StoredRun) => r.info.mode === 'run' && r.info.end === null && now - Date.parse(r.info.start) < RUNNING_GRACE_MS;
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
