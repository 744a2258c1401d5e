/**
 * The scanner's only IO: walks a directory tree for Go files and go.mod files and feeds
 * them to a WorkspaceIndex.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ScanResult } from './types';
import { loadFiles, type LoadedFile } from './loadPool';
import type { WorkspaceIndex } from './workspace';
import { readGoFile } from './readGo';

import { SKIPPED_DIRS } from './skipped';

export { SKIPPED_DIRS };

/** Options for loading a tree into an index. */
export interface LoadOptions {
  /** Called as files are read: `done` of `total` Go files. */
  onProgress?(done: number, total: number): void;
  /** Stops the walk early when aborted (files read so far stay in the index). */
  signal?: AbortSignal;
  /** Walk this directory or file instead of the index root (go.mod files above it are read too). */
  from?: string;
  /** Worker threads that read and parse files beside the calling thread (default 0: read here, parse at refresh). */
  workers?: number;
  /** Told of each file skipped and why (a FIFO, a device, a symlink out of the root, too big). */
  onSkip?(path: string, reason: string): void;
}

/** Options for a one-shot scan. */
export type ScanOptions = LoadOptions;

/** Worker threads a one-shot scan uses: one per core besides the calling thread (at least 1, at most 4). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** Lists Go files and go.mod files under `root` (skipping vendor/, testdata/, .git/, node_modules/). */
export function listGoFiles(root: string): { goFiles: string[]; goMods: string[] } {
  const goFiles: string[] = [];
  const goMods: string[] = [];
  // NOTE: anything but a directory is one file: a FIFO or a device named `x.go` goes to the
  // reader, which refuses it with a reason, instead of a readdir that fails in silence.
  if (!statSync(root).isDirectory()) {
    if (root.endsWith('.go')) goFiles.push(root);
    return { goFiles, goMods };
  }
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable directory: skip it, keep the rest
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(join(dir, e.name));
      } else if (e.name.endsWith('.go')) goFiles.push(join(dir, e.name));
      else if (e.name === 'go.mod') goMods.push(join(dir, e.name));
    }
  };
  walk(root);
  goFiles.sort();
  return { goFiles, goMods };
}

const BATCH = 256;

// NOTE: synchronous reads in batches, yielding between batches: several times faster than
// fs.promises for thousands of small files, and the event loop still breathes. Bytes, not
// strings: most files are never decoded, which spares both the decoding and the GC.
async function readAll(paths: string[], within: (path: string) => string, each: (path: string, bytes: Buffer) => void, options: LoadOptions, afterBatch?: () => void): Promise<void> {
  for (let i = 0; i < paths.length; i += BATCH) {
    if (options.signal?.aborted) return;
    if (i > 0) await new Promise<void>((r) => setImmediate(r));
    for (const path of paths.slice(i, i + BATCH)) {
      const bytes = readGoFile(path, within(path));
      if (typeof bytes === 'string') options.onSkip?.(path, bytes);
      else each(path, bytes);
    }
    afterBatch?.();
    options.onProgress?.(Math.min(i + BATCH, paths.length), paths.length);
  }
}

/** Reads every go.mod and Go file under the index root into the index (does not refresh it). */
export async function loadTree(index: WorkspaceIndex, options: LoadOptions = {}): Promise<number> {
  const from = resolve(options.from ?? index.root);
  if (!existsSync(from)) return 0;
  const { goFiles, goMods } = listGoFiles(from);
  // The go.mod of a module that encloses the walked directory maps its import paths too.
  const mods = new Set(goMods);
  for (let d = statSync(from).isDirectory() ? from : dirname(from); ; d = dirname(d)) {
    if (existsSync(join(d, 'go.mod'))) mods.add(join(d, 'go.mod'));
    if (dirname(d) === d) break;
  }
  // go.mod files above the root (the enclosing module's) are read only from their own directory.
  const root = resolve(index.root);
  const inRoot = (p: string) => (p.startsWith(root + sep) ? root : dirname(p));
  await readAll([...mods], inRoot, (p, t) => index.setFile(p, t), { onSkip: options.onSkip });
  let files = 0;
  if (options.workers) {
    // This thread and the workers read, pre-filter and parse side by side (loadPool.ts);
    // the index gets the files in path order, as from a sequential read.
    const loaded: (LoadedFile | undefined)[] = new Array(goFiles.length);
    const walked = realInside(from, root);
    await loadFiles(goFiles, root, options.workers, (text, path) => index.extract(text, path), (_, f) => (loaded[f.index] = f), { ...options, walked, localFlows: index.keepLocalFlows });
    loaded.forEach((f, i) => {
      if (!f) return;
      index.setLoaded(goFiles[i], f.bytes, f.env, f.text, f.facts, f.header);
      files++;
    });
    return files;
  }
  await readAll(
    goFiles,
    () => root,
    (p, t) => {
      index.setFile(p, t);
      files++;
    },
    options,
  );
  return files;
}

/**
 * Whether `dir` resolves to a place inside `root` (resolved too). Then every file a walk of
 * `dir` lists (listGoFiles enters no symlinked directory) is inside `root`, and its path
 * need not be resolved before it is read (ReadLimits.walked).
 */
function realInside(dir: string, root: string): boolean {
  try {
    const rel = relative(realpathSync.native(root), realpathSync.native(dir));
    return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
  } catch {
    return false;
  }
}

/** Loads the index's root from disk and returns what `envtrace scan --json` prints. */
export async function scanTreeWith(index: WorkspaceIndex, options: ScanOptions = {}): Promise<ScanResult> {
  const files = await loadTree(index, { workers: defaultWorkers(), ...options });
  index.refresh();
  const notes = index.notes();
  return { root: resolve(index.root), files, sites: index.allSites(), ...(notes.length ? { notes } : {}) };
}
