/** Adapts the scanner's WorkspaceIndex (absolute paths) to the workspace's per-folder FolderScan. */
import { availableParallelism } from 'node:os';
import { sep } from 'node:path';
import { loadGoLanguage, loadTree, newGoParser, type Scanner, type WorkspaceIndex } from '../scan/index';
import type { ScanNote, Site } from '../scan/types';
import { envGraph, graphPackages, IncrementalUses, keptFlows, type ChangedSource, type UsesSource } from '../uses/index';
import type { FolderScan, FolderScanFactory, FolderUses } from './workspace';

/** Makes folder scans that share one loaded scanner (tree-sitter is loaded once per server). */
export function folderScanFactory(scanner: Promise<Scanner>): FolderScanFactory {
  return (root) => new IndexedFolder(scanner, root);
}

class IndexedFolder implements FolderScan {
  private index: WorkspaceIndex | undefined;
  private language: Awaited<ReturnType<typeof loadGoLanguage>> | undefined;
  /** The uses report of the current sites; dropped on every change. */
  private usesReport: FolderUses | null = null;
  /** Flows kept between reports: a change drops only those it may alter. */
  private readonly flows = new IncrementalUses();

  constructor(
    private readonly scanner: Promise<Scanner>,
    private readonly root: string,
    private readonly workers = Math.max(1, Math.min(4, availableParallelism())),
  ) {}

  async scanAll(progress: (done: number, total: number) => void): Promise<void> {
    const index = (await this.scanner).createIndex(this.root);
    // The uses analysis (hover, graph) starts from flows found on the scan's own trees.
    index.keepLocalFlows = true;
    // Parse workers pay off for the first load of a large tree; edits are parsed in-thread.
    await loadTree(index, { onProgress: progress, workers: this.workers });
    index.refresh();
    this.index = index;
    this.language = await loadGoLanguage();
    this.usesReport = null;
    this.flows.clear();
  }

  update(changes: readonly (readonly [string, string | null])[]): Iterable<string> {
    const index = this.index;
    if (!index) return [];
    // Opening a file sends its text unchanged: the uses report stays.
    const sources: ChangedSource[] = [];
    for (const [rel, text] of changes) {
      const before = index.sourceOf(this.abs(rel));
      if (text !== null && sameSource(before, text)) continue;
      sources.push({ rel, before, after: text ?? undefined });
    }
    for (const [rel, text] of changes) {
      if (text === null) index.deleteFile(this.abs(rel));
      else index.setFile(this.abs(rel), text);
    }
    const changed = new Set(index.refresh().map((p) => index.relativePath(p)));
    if (sources.length) {
      this.usesReport = null;
      this.flows.changed(sources);
    }
    for (const [rel] of changes) if (rel.endsWith('.go')) changed.add(rel);
    return changed;
  }

  sitesOf(rel: string): readonly Site[] {
    return this.index?.sitesOf(this.abs(rel)) ?? [];
  }

  files(): Iterable<string> {
    const index = this.index;
    return index ? index.goFiles().map((p) => index.relativePath(p)) : [];
  }

  notes(): readonly ScanNote[] {
    return this.index?.notes() ?? [];
  }

  uses(): FolderUses | null {
    const index = this.index;
    if (!index || !this.language) return null;
    if (this.usesReport) return this.usesReport;
    const sites = index.allSites();
    const sources: UsesSource[] = index.goFiles().map((p) => ({ rel: index.relativePath(p), get: () => index.sourceOf(p) }));
    const parser = newGoParser(this.language);
    try {
      const report = this.flows.report(parser, sources, sites, keptFlows(index));
      const id = (s: Site) => `${s.file}:${s.line}:${s.column}:${s.key ?? s.pattern}`;
      const bySite = new Map(sites.map((s, i) => [id(s), report.siteUses[i]]));
      this.usesReport = {
        siteUses: (s) => bySite.get(id(s)) ?? null,
        key: (k) => report.keys[k],
        graph: (dir) => envGraph(sites, report.siteUses, report.keys, dir),
        packages: () => graphPackages(sites, report.siteUses),
      };
    } finally {
      parser.delete();
    }
    return this.usesReport;
  }

  get fileCount(): number {
    return this.index?.goFiles().length ?? 0;
  }

  private abs(rel: string): string {
    return this.root + sep + rel.split('/').join(sep);
  }
}

/** Whether the index's source of a file (text, or bytes as read from disk) is `text`. */
function sameSource(raw: string | Uint8Array | undefined, text: string): boolean {
  if (raw === undefined) return false;
  return typeof raw === 'string' ? raw === text : Buffer.from(text, 'utf8').equals(raw);
}
