/** Reading Go files from disk without ever throwing: missing, unreadable and non-UTF-8 files included. */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readRegular } from '../files/readRegular';
import { MAX_GO_FILE } from '../scan/readGo';

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * The text of `path` (invalid UTF-8 replaced by U+FFFD), or null when it cannot be read, is
 * not a regular file (a FIFO, a device), is a symlink out of `within`, or is over 16 MB.
 */
export async function readText(path: string, within: string | undefined): Promise<string | null> {
  try {
    return decoder.decode(await readRegular(path, { within, maxBytes: MAX_GO_FILE }));
  } catch {
    return null;
  }
}

/** The file system path of a `file://` URI, or null for other schemes and malformed URIs. */
export function uriToPath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

/** The `file://` URI of an absolute path, in the form features put into results. */
export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** Directories the scanner's walk never descends into (kept equal to `envtrace scan`'s). */
const skippedDirs = new Set(['vendor', 'testdata', '.git', 'node_modules']);

/** True when `rel` (folder-relative, `/` separators) is a Go file or go.mod the index covers. */
export function isIndexedFile(rel: string): boolean {
  if (rel.startsWith('../') || rel === '..') return false;
  const parts = rel.split('/');
  const name = parts[parts.length - 1];
  if (!name.endsWith('.go') && name !== 'go.mod') return false;
  return !parts.slice(0, -1).some((d) => skippedDirs.has(d));
}

/** One spelling per file: clients encode URIs differently (`%3A`, `%40`), the index keys on this form. */
export function canonicalUri(uri: string): string {
  const path = uriToPath(uri);
  return path === null ? uri : pathToUri(path);
}

/** The nearest directory at or above `file`'s directory that holds a go.mod, or null. */
export function findModuleRoot(file: string): string | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'go.mod'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** True when `path` is an existing directory. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Go files under directory `dir`, skipping the directories the scanner skips; unreadable parts are left out. */
export async function goFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && !skippedDirs.has(e.name)) out.push(...(await goFilesUnder(path)));
    else if (e.isFile() && e.name.endsWith('.go')) out.push(path);
  }
  return out;
}
