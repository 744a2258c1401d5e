/**
 * Importing runs: one JSON report or one run directory (e.g. a CI artifact) is kept as it is;
 * anything else — several sources, OTLP JSON files, directories of pods' run files — becomes
 * one fleet run through the engine's import (the code of `envtrace import`). No `vscode` import.
 */
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ensureOwnDir, makeNewDir, writeNewFile } from '../../server/src/files/writeSafe';
import { ensureStore } from '../../server/src/runs/store';
import { importRuns, sourceKind } from '../../server/src/runs/import/importRuns';

/**
 * Imports `sources` into the store: a single report or run directory (with run.json) through
 * importInto, kept as it is; otherwise one new fleet run (importRuns). Returns the new report
 * file or run directory.
 */
export async function importSources(sources: readonly string[], store: string, label: string | null = null): Promise<string> {
  if (sources.length === 1) {
    const kind = await sourceKind(sources[0]);
    const hasRunJson = kind === 'dir' && (await fs.stat(path.join(sources[0], 'run.json')).then(() => true, () => false));
    if (kind === 'report' || hasRunJson) return importInto(sources[0], store);
  }
  return (await importRuns(sources, { store, label })).run.dir;
}

/** Checks that `data` looks like an envtrace JSON report; returns an error message or undefined. */
export function reportProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'not a JSON object';
  const r = data as Record<string, unknown>;
  if (r.version !== 1) return `unsupported report version ${JSON.stringify(r.version)}`;
  if (!Array.isArray(r.vars) || !Array.isArray(r.processes)) return 'not an envtrace report (no "vars" or "processes")';
  return undefined;
}

/**
 * Imports into the store at `store`: a run directory is copied into `runs/` (a stored run like
 * any other); a JSON report is copied into `imports/` (the server shows it as an imported run,
 * the client lists it beside the stored ones). Returns the new directory or report file.
 * Writes go through writeSafe (new files only, no symlinks followed, 0700/0600); of a run
 * directory only its regular files are copied.
 */
export async function importInto(source: string, store: string): Promise<string> {
  const stat = await fs.stat(source);
  if (stat.isDirectory()) {
    await fs.access(path.join(source, 'run.json')).catch(() => {
      throw new Error(`${source} is not an envtrace run directory (no run.json)`);
    });
    await ensureStore(store);
    const target = await freeName(path.join(store, 'runs'), path.basename(source));
    await makeNewDir(target);
    for (const e of await fs.readdir(source, { withFileTypes: true })) {
      const data = await readRegular(path.join(source, e.name));
      if (data !== null) await writeNewFile(path.join(target, e.name), data);
    }
    return target;
  }
  let data: unknown;
  const text = await fs.readFile(source, 'utf8');
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path.basename(source)} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problem = reportProblem(data);
  if (problem) throw new Error(`${path.basename(source)}: ${problem}`);
  await ensureStore(store);
  const imports = importsDirectory(store);
  await ensureOwnDir(imports);
  const id = (data as { id?: unknown }).id;
  const base = typeof id === 'string' && /^[\w.-]+$/.test(id) ? id : path.basename(source, '.json').replace(/[^\w.-]/g, '_');
  const target = await freeName(imports, base, '.json');
  await writeNewFile(target, text);
  return target;
}

/** The folder of imported JSON reports in a store. */
export function importsDirectory(store: string): string {
  return path.join(store, 'imports');
}

/** The content of a regular file, or null for anything else (a symlink, FIFO, device, directory). */
async function readRegular(file: string): Promise<Buffer | null> {
  const h = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch(() => null);
  if (!h) return null;
  try {
    return (await h.stat()).isFile() ? await h.readFile() : null;
  } finally {
    await h.close();
  }
}

async function freeName(dir: string, base: string, ext = ''): Promise<string> {
  for (let i = 0; ; i++) {
    const p = path.join(dir, `${i ? `${base}-${i}` : base}${ext}`);
    try {
      await fs.lstat(p);
    } catch {
      return p;
    }
  }
}
