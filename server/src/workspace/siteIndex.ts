/** The features' view of the workspace: sites per URI, with key and pattern lookups kept in step. */
import type { Site } from '../scan/types';
import type { SiteEntry, SiteIndex } from '../features/model';

/** Converts a scanner site (1-based) into an entry at `uri` in LSP coordinates (0-based). */
export function toEntry(uri: string, site: Site): SiteEntry {
  return {
    uri,
    site,
    range: {
      start: { line: site.line - 1, character: site.column - 1 },
      end: { line: site.endLine - 1, character: site.endColumn - 1 },
    },
  };
}

/** A mutable {@link SiteIndex}: files are replaced whole, lookups stay consistent. */
export class MutableSiteIndex implements SiteIndex {
  private readonly byUri = new Map<string, SiteEntry[]>();
  private readonly byKey = new Map<string, Set<SiteEntry>>();
  private readonly byPattern = new Map<string, Set<SiteEntry>>();
  private count = 0;

  private readonly signatures = new Map<string, string>();
  private gen = 0;

  /** Increases whenever some file's sites change; lets callers skip work when nothing did. */
  get generation(): number {
    return this.gen;
  }

  /** Replaces the sites of `uri` (an empty list removes the file's sites). */
  setFile(uri: string, sites: readonly Site[]): void {
    const signature = JSON.stringify(sites);
    if ((this.signatures.get(uri) ?? '[]') === signature) return;
    this.deleteFile(uri);
    if (sites.length === 0) return;
    this.signatures.set(uri, signature);
    this.gen++;
    const entries = sites
      .map((s) => toEntry(uri, s))
      .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    this.byUri.set(uri, entries);
    this.count += entries.length;
    for (const e of entries) {
      if (e.site.key !== null) add(this.byKey, e.site.key, e);
      else if (e.site.pattern !== null) add(this.byPattern, e.site.pattern, e);
    }
  }

  /** Forgets every site of `uri`. */
  deleteFile(uri: string): void {
    const old = this.byUri.get(uri);
    if (!old) return;
    this.gen++;
    this.signatures.delete(uri);
    this.byUri.delete(uri);
    this.count -= old.length;
    for (const e of old) {
      if (e.site.key !== null) remove(this.byKey, e.site.key, e);
      else if (e.site.pattern !== null) remove(this.byPattern, e.site.pattern, e);
    }
  }

  /** URIs that currently have sites. */
  uris(): Iterable<string> {
    return this.byUri.keys();
  }

  /** Number of sites. */
  get size(): number {
    return this.count;
  }

  /** Number of distinct keys. */
  get keyCount(): number {
    return this.byKey.size;
  }

  sitesIn(uri: string): readonly SiteEntry[] {
    return this.byUri.get(uri) ?? [];
  }

  withKey(key: string): readonly SiteEntry[] {
    return [...(this.byKey.get(key) ?? [])];
  }

  withPattern(pattern: string): readonly SiteEntry[] {
    return [...(this.byPattern.get(pattern) ?? [])];
  }

  keys(): Iterable<string> {
    return this.byKey.keys();
  }

  patterns(): Iterable<string> {
    return this.byPattern.keys();
  }

  *all(): Iterable<SiteEntry> {
    for (const list of this.byUri.values()) yield* list;
  }
}

function add(map: Map<string, Set<SiteEntry>>, name: string, e: SiteEntry): void {
  const set = map.get(name);
  if (set) set.add(e);
  else map.set(name, new Set([e]));
}

function remove(map: Map<string, Set<SiteEntry>>, name: string, e: SiteEntry): void {
  const set = map.get(name);
  if (!set) return;
  set.delete(e);
  if (set.size === 0) map.delete(name);
}
