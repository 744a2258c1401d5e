/**
 * The workspace index: every Go file's text, per-file facts from tree-sitter, and the sites
 * resolved across files (constants, helper functions). No IO.
 */
import type { Language } from 'web-tree-sitter';
import { relative, sep } from 'node:path';
import type { Site } from './types';

/** All env sites of a set of Go files, kept up to date one file at a time. */
export class WorkspaceIndex {
  private readonly texts = new Map<string, string>();
  private readonly sites = new Map<string, Site[]>();

  constructor(
    private readonly language: Language,
    /** Absolute root; `Site.file` is relative to it. */
    readonly root: string,
  ) {}

  /** Adds or replaces a file (`.go` or `go.mod`); the work happens at the next refresh. */
  setFile(path: string, text: string): void {
    this.texts.set(path, text);
  }

  /** Forgets a file. */
  deleteFile(path: string): void {
    this.texts.delete(path);
    this.sites.delete(path);
  }

  /** Brings every site up to date; returns the .go files whose sites changed since the last refresh. */
  refresh(): string[] {
    void this.language;
    return [];
  }

  /** The sites of one file (refreshing first if needed), in source order. */
  sitesOf(path: string): Site[] {
    this.refresh();
    return this.sites.get(path) ?? [];
  }

  /** Every site of the workspace, ordered by file then position. */
  allSites(): Site[] {
    this.refresh();
    return [...this.sites.values()].flat();
  }

  /** The Go files the index holds. */
  goFiles(): string[] {
    return [...this.texts.keys()].filter((p) => p.endsWith('.go'));
  }

  /** `path` relative to the root with `/` separators (the form of `Site.file`). */
  relativePath(path: string): string {
    return relative(this.root, path).split(sep).join('/');
  }
}
