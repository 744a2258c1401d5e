/**
 * The server-side workspace index: one scanner index per workspace folder, fed from disk and
 * from open documents, projected into a {@link MutableSiteIndex} that the features read.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { Site } from '../scan/types';
import { canonicalUri, isIndexedFile, pathToUri, readText, uriToPath } from './files';
import { MutableSiteIndex } from './siteIndex';

/** What the workspace needs from the scanner for one folder (see folderScan.ts). */
export interface FolderScan {
  /** Scans every Go file under the folder from disk; `progress` gets files done and total. */
  scanAll(progress: (done: number, total: number) => void): Promise<void>;
  /** Replaces one file's text (null: the file is gone); returns the files whose sites may have changed. */
  update(rel: string, text: string | null): Iterable<string>;
  /** The sites of one file (folder-relative path, `/` separators). */
  sitesOf(rel: string): readonly Site[];
  /** Folder-relative paths of every indexed file. */
  files(): Iterable<string>;
  /** Number of indexed Go files. */
  readonly fileCount: number;
}

/** Creates the scanner index of a folder at an absolute path. */
export type FolderScanFactory = (root: string) => FolderScan;

interface Folder {
  uri: string;
  root: string;
  scan: FolderScan;
  /** Resolves when the folder's initial scan has finished (or failed). */
  ready: Promise<void>;
  indexing: boolean;
  /** Files that changed on disk during the initial scan: reloaded when it ends. */
  changedWhileIndexing: Set<string>;
}

/** Counts the workspace reports to the client. */
export interface WorkspaceStats {
  files: number;
  sites: number;
  keys: number;
  indexing: boolean;
}

/** Every workspace folder's index, kept up to date with open documents and the file system. */
export class Workspace {
  /** What the features read. */
  readonly index = new MutableSiteIndex();
  private readonly folders = new Map<string, Folder>();
  /** Text of open documents by canonical URI: they win over the disk. */
  private readonly open = new Map<string, string>();

  constructor(
    private readonly createScan: FolderScanFactory,
    private readonly log: (message: string) => void,
  ) {}

  /** Adds a folder and starts its initial scan; `progress` gets files done and total. */
  addFolder(folderUri: string, progress: (done: number, total: number) => void = () => {}): Promise<void> {
    const uri = canonicalUri(folderUri);
    const root = uriToPath(uri);
    if (root === null || this.folders.has(uri)) return Promise.resolve();
    const folder: Folder = { uri, root, scan: this.createScan(root), ready: Promise.resolve(), indexing: true, changedWhileIndexing: new Set() };
    this.folders.set(uri, folder);
    folder.ready = this.initialScan(folder, progress);
    return folder.ready;
  }

  private async initialScan(folder: Folder, progress: (done: number, total: number) => void): Promise<void> {
    try {
      await folder.scan.scanAll(progress);
      for (const [uri, text] of this.open) {
        const rel = this.rel(folder, uri);
        if (this.folderOf(uri) === folder && isIndexedFile(rel)) folder.scan.update(rel, text);
      }
    } catch (e) {
      this.log(`envtrace: scanning ${folder.root} failed: ${message(e)}`);
    } finally {
      folder.indexing = false;
    }
    if (this.folders.get(folder.uri) !== folder) return;
    this.project(folder, folder.scan.files());
    const changed = [...folder.changedWhileIndexing];
    folder.changedWhileIndexing.clear();
    for (const uri of changed) await this.reloadFromDisk(uri);
  }

  /** Drops a folder and its sites. */
  removeFolder(folderUri: string): void {
    const folder = this.folders.get(canonicalUri(folderUri));
    if (!folder) return;
    this.folders.delete(folder.uri);
    for (const rel of folder.scan.files()) this.index.deleteFile(pathToUri(this.abs(folder, rel)));
  }

  /** Resolves when every folder's initial scan has finished. */
  async ready(): Promise<void> {
    await Promise.all([...this.folders.values()].map((f) => f.ready));
  }

  /** Re-scans every folder from disk. */
  async reindex(): Promise<void> {
    const uris = [...this.folders.keys()];
    for (const uri of uris) this.removeFolder(uri);
    await Promise.all(uris.map((u) => this.addFolder(u)));
  }

  /** An open document's text changed (or it was opened). */
  setOpenText(uri: string, text: string): void {
    const key = canonicalUri(uri);
    this.open.set(key, text);
    this.updateFile(key, text);
  }

  /** A document was closed: from now on the disk is the truth. */
  async closeDocument(uri: string): Promise<void> {
    const key = canonicalUri(uri);
    this.open.delete(key);
    await this.reloadFromDisk(key);
  }

  /** A file changed, appeared or disappeared on disk (workspace/didChangeWatchedFiles). */
  async fileChanged(uri: string): Promise<void> {
    const key = canonicalUri(uri);
    if (this.open.has(key)) return; // the editor's text wins until the document closes
    await this.reloadFromDisk(key);
  }

  private async reloadFromDisk(uri: string): Promise<void> {
    const path = uriToPath(uri);
    if (path === null || !this.folderOf(uri)) return;
    const text = await readText(path);
    if (this.open.has(uri)) return; // opened while reading
    this.updateFile(uri, text);
  }

  private updateFile(uri: string, text: string | null): void {
    const folder = this.folderOf(uri);
    if (!folder) return;
    if (folder.indexing) {
      // The initial scan applies open texts and reloads these files when it ends.
      folder.changedWhileIndexing.add(uri);
      return;
    }
    const rel = this.rel(folder, uri);
    if (!isIndexedFile(rel)) return;
    try {
      this.project(folder, folder.scan.update(rel, text));
    } catch (e) {
      this.log(`envtrace: scanning ${rel} failed: ${message(e)}`);
    }
  }

  /** Copies the scanner's sites of `rels` into the features' index. */
  private project(folder: Folder, rels: Iterable<string>): void {
    for (const rel of rels) this.index.setFile(pathToUri(this.abs(folder, rel)), folder.scan.sitesOf(rel));
  }

  /** The folder that contains `uri` (the innermost when folders nest). */
  folderOf(uri: string): Folder | undefined {
    const path = uriToPath(uri);
    if (path === null) return undefined;
    let best: Folder | undefined;
    for (const f of this.folders.values()) {
      const rel = relative(f.root, path);
      if (rel.startsWith('..') || rel === '' || rel.includes(':')) continue;
      if (!best || f.root.length > best.root.length) best = f;
    }
    return best;
  }

  private rel(folder: Folder, uri: string): string {
    return relative(folder.root, uriToPath(uri) ?? '').split(sep).join('/');
  }

  private abs(folder: Folder, rel: string): string {
    return folder.root + sep + rel.split('/').join(sep);
  }

  /** True when some folder lies inside directory `path` (adding `path` would index files twice). */
  hasFolderInside(path: string): boolean {
    return [...this.folders.values()].some((f) => {
      const rel = relative(path, f.root);
      return !rel.startsWith('..') && !isAbsolute(rel);
    });
  }

  /** URIs of the workspace folders. */
  folderUris(): string[] {
    return [...this.folders.keys()];
  }

  /** Counts for `envtrace/indexChanged` and logs; restricted to one folder when given. */
  stats(): WorkspaceStats {
    let files = 0;
    let indexing = false;
    for (const f of this.folders.values()) {
      files += f.scan.fileCount;
      indexing ||= f.indexing;
    }
    return { files, sites: this.index.size, keys: this.index.keyCount, indexing };
  }

  /** Files indexed in one folder (all folders when `folderUri` is absent). */
  fileCount(folderUri?: string): number {
    if (folderUri === undefined) return this.stats().files;
    return this.folders.get(canonicalUri(folderUri))?.scan.fileCount ?? 0;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
