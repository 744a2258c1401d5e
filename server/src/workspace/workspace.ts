/**
 * The server-side workspace index: one scanner index per workspace folder, fed from disk and
 * from open documents, projected into a {@link MutableSiteIndex} that the features read.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { ScanNote, Site } from '../scan/types';
import type { EnvGraph, KeyRisk, Use } from '../uses/index';
import type { SiteEntry } from '../features/model';
import { canonicalUri, findModuleRoot, goFilesUnder, isDirectory, isIndexedFile, pathToUri, readText, uriToPath } from './files';
import { MutableSiteIndex } from './siteIndex';

/** What the workspace needs from the scanner for one folder (see folderScan.ts). */
export interface FolderScan {
  /** Scans every Go file under the folder from disk; `progress` gets files done and total. */
  scanAll(progress: (done: number, total: number) => void): Promise<void>;
  /** Replaces files' texts (null: the file is gone); returns the files whose sites may have changed. */
  update(changes: readonly (readonly [rel: string, text: string | null])[]): Iterable<string>;
  /** The sites of one file (folder-relative path, `/` separators). */
  sitesOf(rel: string): readonly Site[];
  /** Folder-relative paths of every indexed file. */
  files(): Iterable<string>;
  /** Number of indexed Go files. */
  readonly fileCount: number;
  /** What the scanner left out of which file (folder-relative), e.g. code nested too deep. */
  notes(): readonly ScanNote[];
  /** Where each read site's value goes and each key's role and risk (issue 15), computed on demand. */
  uses?(): FolderUses | null;
}

/** The uses report of a folder, looked up by site and key. */
export interface FolderUses {
  siteUses(site: Site): readonly Use[] | null;
  key(key: string): KeyRisk | undefined;
  /** The dependency graph of the folder, or of one package (folder-relative directory, '' the root). */
  graph(dir?: string): EnvGraph;
  /** The packages the graph has something for. */
  packages(): string[];
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
      for (const n of folder.scan.notes()) this.log(`envtrace: ${n.file}: ${n.message}`);
      for (const [uri, text] of this.open) {
        const rel = this.rel(folder, uri);
        if (this.folderOf(uri) === folder && isIndexedFile(rel)) folder.scan.update([[rel, text]]);
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

  /**
   * Files or directories changed, appeared or disappeared on disk
   * (workspace/didChangeWatchedFiles): re-read them, one re-resolution per folder.
   */
  async filesChanged(uris: readonly string[]): Promise<void> {
    const texts = new Map<string, string | null>();
    for (const uri of uris) {
      const key = canonicalUri(uri);
      const path = uriToPath(key);
      const folder = this.folderOf(key);
      if (path === null || !folder) continue;
      if (isIndexedFile(this.rel(folder, key))) texts.set(key, null);
      else if (await isDirectory(path)) for (const file of await goFilesUnder(path)) texts.set(pathToUri(file), null);
      else for (const rel of this.indexedUnder(folder, this.rel(folder, key))) texts.set(pathToUri(this.abs(folder, rel)), null);
    }
    for (const uri of texts.keys()) {
      const path = uriToPath(uri);
      if (path !== null) texts.set(uri, await readText(path, this.folderOf(uri)?.root));
    }
    this.update([...texts].filter(([uri]) => !this.open.has(uri))); // open documents win until closed
  }

  /** Indexed files inside directory `rel` of `folder` (a directory that is gone). */
  private indexedUnder(folder: Folder, rel: string): string[] {
    return [...folder.scan.files()].filter((f) => f.startsWith(`${rel}/`));
  }

  private async reloadFromDisk(uri: string): Promise<void> {
    const path = uriToPath(uri);
    const folder = this.folderOf(uri);
    if (path === null || !folder) return;
    const text = await readText(path, folder.root);
    if (this.open.has(uri)) return; // opened while reading
    this.updateFile(uri, text);
  }

  private updateFile(uri: string, text: string | null): void {
    this.update([[uri, text]]);
  }

  /** Applies new texts (null: gone) of files, grouped per folder so each folder re-resolves once. */
  private update(changes: readonly (readonly [string, string | null])[]): void {
    const perFolder = new Map<Folder, [string, string | null][]>();
    for (const [uri, text] of changes) {
      const folder = this.folderOf(uri);
      if (!folder) continue;
      if (folder.indexing) {
        // The initial scan applies open texts and reloads these files when it ends.
        folder.changedWhileIndexing.add(uri);
        continue;
      }
      const rel = this.rel(folder, uri);
      if (!isIndexedFile(rel)) continue;
      const list = perFolder.get(folder) ?? [];
      list.push([rel, text]);
      perFolder.set(folder, list);
    }
    for (const [folder, list] of perFolder) {
      try {
        this.project(folder, folder.scan.update(list));
      } catch (e) {
        this.log(`envtrace: scanning ${list.map(([rel]) => rel).join(', ')} failed: ${message(e)}`);
      }
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

  /**
   * For a file outside every folder: the URI of its module root (nearest go.mod) to index as
   * a folder of its own, or null (inside a folder, no module, or a module around a folder).
   */
  moduleRootOutside(uri: string): string | null {
    const path = uriToPath(uri);
    if (path === null || this.folderOf(uri)) return null;
    const root = findModuleRoot(path);
    if (root === null) return null;
    const enclosesFolder = [...this.folders.values()].some((f) => {
      const rel = relative(root, f.root);
      return !rel.startsWith('..') && !isAbsolute(rel);
    });
    return enclosesFolder ? null : pathToUri(root);
  }

  /** Every site entry, or those of one folder. */
  entries(folderUri?: string): SiteEntry[] {
    const all = [...this.index.all()];
    if (folderUri === undefined) return all;
    const folder = canonicalUri(folderUri);
    return all.filter((e) => this.folderOf(e.uri)?.uri === folder);
  }

  /** A folder's root and every site of its scan (root-relative `file`s), or null for an unknown folder. */
  folderSites(folderUri: string): { root: string; sites: Site[] } | null {
    const f = this.folders.get(canonicalUri(folderUri));
    if (!f) return null;
    const sites: Site[] = [];
    for (const rel of f.scan.files()) sites.push(...f.scan.sitesOf(rel));
    return { root: f.root, sites };
  }

  /** The folder whose URI is `folderUri`. */
  folderAt(folderUri: string): Folder | undefined {
    return this.folders.get(canonicalUri(folderUri));
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
