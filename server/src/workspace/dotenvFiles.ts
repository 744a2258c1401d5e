/**
 * The `.env` files of the workspace folders (issue 6): found on disk at start, kept up to date
 * from open documents and file-system changes, parsed by the engine (scan/dotenv.ts).
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { isDotenvName, parseDotenv, type DotenvEntry, type DotenvFile } from '../scan/dotenv';
import { canonicalUri, pathToUri, readText, uriToPath } from './files';

/** A definition of a key in one `.env` file. */
export interface DotenvDefinition {
  uri: string;
  entry: DotenvEntry;
}

const SKIPPED = new Set(['vendor', 'testdata', '.git', 'node_modules', '.envtrace']);
const MAX_DEPTH = 12;

/** True when a URI names a `.env` file (`.env`, `.env.local`, `prod.env`). */
export function isDotenvUri(uri: string): boolean {
  const path = uriToPath(uri);
  return path !== null && isDotenvName(basename(path));
}

/** Every `.env` file of the workspace, parsed. */
export class DotenvFiles {
  private readonly files = new Map<string, DotenvFile>();
  private readonly open = new Set<string>();
  private byKey: Map<string, DotenvDefinition[]> | null = null;
  /** The folders: a `.env` file is read only inside one (not through a symlink out of them). */
  private readonly roots = new Set<string>();

  /** Finds and reads the `.env` files under a folder (skipping vendor/, testdata/, .git/, node_modules/). */
  async addFolder(root: string): Promise<void> {
    this.roots.add(root);
    for (const path of await dotenvFilesUnder(root, 0)) {
      const uri = pathToUri(path);
      if (this.open.has(uri)) continue;
      const text = await readText(path, root);
      if (text !== null) this.setText(uri, text);
    }
  }

  /** Drops the files under a folder. */
  removeFolder(root: string): void {
    this.roots.delete(root);
    const prefix = pathToUri(root).replace(/\/?$/, '/');
    for (const uri of [...this.files.keys()]) if (uri.startsWith(prefix)) this.delete(uri);
  }

  /** Sets a file's text (a document's, or from disk). */
  setText(uri: string, text: string): void {
    this.files.set(canonicalUri(uri), parseDotenv(text));
    this.byKey = null;
  }

  /** An open document's text (it wins over the disk until closed). */
  setOpenText(uri: string, text: string): void {
    this.open.add(canonicalUri(uri));
    this.setText(uri, text);
  }

  /** A document was closed: re-read it from disk. */
  async close(uri: string): Promise<void> {
    this.open.delete(canonicalUri(uri));
    await this.reload(uri);
  }

  /** Files changed on disk: re-read those that are `.env` files (not open ones). True when any was. */
  async filesChanged(uris: readonly string[]): Promise<boolean> {
    let any = false;
    for (const uri of uris) {
      if (!isDotenvUri(uri) || this.open.has(canonicalUri(uri))) continue;
      await this.reload(uri);
      any = true;
    }
    return any;
  }

  private async reload(uri: string): Promise<void> {
    const path = uriToPath(uri);
    const text = path === null ? null : await readText(path, [...this.roots].find((r) => path.startsWith(r + sep)) ?? dirname(path));
    if (text === null) this.delete(uri);
    else this.setText(uri, text);
  }

  private delete(uri: string): void {
    if (this.files.delete(canonicalUri(uri))) this.byKey = null;
  }

  /** The parsed file at a URI, if indexed. */
  fileAt(uri: string): DotenvFile | undefined {
    return this.files.get(canonicalUri(uri));
  }

  /** The URIs of every indexed `.env` file. */
  uris(): string[] {
    return [...this.files.keys()].sort();
  }

  /** Every definition of a key, by URI then line. */
  definitions(key: string): readonly DotenvDefinition[] {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const uri of this.uris()) {
        for (const entry of this.files.get(uri)!.entries) {
          const list = this.byKey.get(entry.key) ?? [];
          list.push({ uri, entry });
          this.byKey.set(entry.key, list);
        }
      }
    }
    return this.byKey.get(key) ?? [];
  }
}

async function dotenvFilesUnder(dir: string, depth: number): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.isDirectory() && depth < MAX_DEPTH && !SKIPPED.has(e.name)) out.push(...(await dotenvFilesUnder(join(dir, e.name), depth + 1)));
    else if (e.isFile() && isDotenvName(e.name)) out.push(join(dir, e.name));
  }
  return out;
}
