/**
 * The scanner's only IO: walks a directory tree for Go files and go.mod files and feeds
 * them to a WorkspaceIndex.
 */
import { existsSync, promises as fsp, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ScanResult } from './types';
import type { WorkspaceIndex } from './workspace';

/** Directory names never descended into. */
export const SKIPPED_DIRS = new Set(['vendor', 'testdata', '.git', 'node_modules']);

/** Options for loading a tree into an index. */
export interface LoadOptions {
  /** Called as files are read: `done` of `total` Go files. */
  onProgress?(done: number, total: number): void;
  /** Stops the walk early when aborted (files read so far stay in the index). */
  signal?: AbortSignal;
  /** Walk this directory or file instead of the index root (go.mod files above it are read too). */
  from?: string;
}

/** Options for a one-shot scan. */
export type ScanOptions = LoadOptions;

/** Lists Go files and go.mod files under `root` (skipping vendor/, testdata/, hidden dirs' .git, node_modules/). */
export async function listGoFiles(root: string): Promise<{ goFiles: string[]; goMods: string[] }> {
  const goFiles: string[] = [];
  const goMods: string[] = [];
  const st = statSync(root);
  if (st.isFile()) {
    if (root.endsWith('.go')) goFiles.push(root);
    return { goFiles, goMods };
  }
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable directory: skip it, keep the rest
    }
    const subdirs: Promise<void>[] = [];
    for (const e of entries) {
      if (e.isDirectory()) {
        if (SKIPPED_DIRS.has(e.name)) continue;
        subdirs.push(walk(join(dir, e.name)));
      } else if (e.isFile() || e.isSymbolicLink()) {
        if (e.name.endsWith('.go')) goFiles.push(join(dir, e.name));
        else if (e.name === 'go.mod') goMods.push(join(dir, e.name));
      }
    }
    await Promise.all(subdirs);
  };
  await walk(root);
  goFiles.sort();
  goMods.sort();
  return { goFiles, goMods };
}

async function readAll(paths: string[], each: (path: string, text: string) => void, options: LoadOptions): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length && !options.signal?.aborted) {
      const path = paths[next++];
      let text: string;
      try {
        text = await fsp.readFile(path, 'utf8');
      } catch {
        continue; // vanished or unreadable: not a Go file we can scan
      }
      each(path, text);
      options.onProgress?.(++done, paths.length);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Reads every go.mod and Go file under the index root into the index (does not refresh it). */
export async function loadTree(index: WorkspaceIndex, options: LoadOptions = {}): Promise<number> {
  const from = resolve(options.from ?? index.root);
  const { goFiles, goMods } = await listGoFiles(from);
  // The go.mod of a module that encloses the walked directory maps its import paths too.
  const mods = new Set(goMods);
  for (let d = statSync(from).isDirectory() ? from : dirname(from); ; d = dirname(d)) {
    if (existsSync(join(d, 'go.mod'))) mods.add(join(d, 'go.mod'));
    if (dirname(d) === d) break;
  }
  await readAll([...mods], (p, t) => index.setFile(p, t), {});
  let files = 0;
  await readAll(
    goFiles,
    (p, t) => {
      index.setFile(p, t);
      files++;
    },
    options,
  );
  return files;
}

/** Loads the index's root from disk and returns what `envtrace scan --json` prints. */
export async function scanTreeWith(index: WorkspaceIndex, options: ScanOptions = {}): Promise<ScanResult> {
  const files = await loadTree(index, options);
  index.refresh();
  return { root: resolve(index.root), files, sites: index.allSites() };
}
