/** Shared questions about sites: which site is at a position, which sites share its key, how to name them. */
import type { Position, Range } from 'vscode-languageserver-protocol';
import type { SiteKind } from '../scan/types';
import type { SiteEntry, SiteIndex } from './model';

/** True when `pos` lies inside `range` (end inclusive, so a cursor right after the call counts). */
export function contains(range: Range, pos: Position): boolean {
  if (pos.line < range.start.line || pos.line > range.end.line) return false;
  if (pos.line === range.start.line && pos.character < range.start.character) return false;
  if (pos.line === range.end.line && pos.character > range.end.character) return false;
  return true;
}

function span(r: Range): number {
  return (r.end.line - r.start.line) * 1_000_000 + (r.end.character - r.start.character);
}

/** The innermost site of `uri` whose range contains `pos`, if any. */
export function siteAt(index: SiteIndex, uri: string, pos: Position): SiteEntry | undefined {
  let best: SiteEntry | undefined;
  for (const e of index.sitesIn(uri)) {
    if (contains(e.range, pos) && (!best || span(e.range) < span(best.range))) best = e;
  }
  return best;
}

/** Converts a `*` pattern into an anchored regular expression. */
export function patternRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** The name sites are grouped under: the key, else the pattern, else null (dynamic, clear, environ). */
export function groupName(e: SiteEntry): string | null {
  return e.site.key ?? e.site.pattern;
}

/**
 * Every site of the same key as `e` (including `e`): the sites of its key, or for a pattern
 * the sites of the same pattern and of every key the pattern matches. Sorted by URI, position.
 */
export function sitesOfGroup(index: SiteIndex, e: SiteEntry): SiteEntry[] {
  if (e.site.key !== null) return sortEntries([...index.withKey(e.site.key)]);
  if (e.site.pattern === null) return [];
  const re = patternRegExp(e.site.pattern);
  const out = [...index.withPattern(e.site.pattern)];
  for (const key of index.keys()) if (re.test(key)) out.push(...index.withKey(key));
  return sortEntries(out);
}

/** Sorts entries by URI, then start position. */
export function sortEntries(entries: SiteEntry[]): SiteEntry[] {
  return entries.sort(
    (a, b) =>
      (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character,
  );
}

/** True when both entries are the same site. */
export function sameSite(a: SiteEntry, b: SiteEntry): boolean {
  return (
    a.uri === b.uri &&
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character &&
    a.site.kind === b.site.kind &&
    a.site.key === b.site.key &&
    a.site.pattern === b.site.pattern
  );
}

/** The verb a lens or hover uses for a kind: read, set, unset, clear, environ, source (loads). */
export function verb(kind: SiteKind): string {
  switch (kind) {
    case 'read':
      return 'read';
    case 'write':
      return 'set';
    case 'unset':
      return 'unset';
    case 'clear':
      return 'clears all';
    case 'environ':
      return 'reads all';
    case 'source':
      return 'loads';
  }
}

/** The file name of a site (last path segment). */
export function baseName(e: SiteEntry): string {
  const f = e.site.file;
  return f.slice(f.lastIndexOf('/') + 1);
}

/** The files a `source` site loads, from its `file=` options: `.env, .env.local`. */
export function sourceFiles(options: readonly string[] | undefined): string {
  const files = (options ?? []).filter((o) => o.startsWith('file=')).map((o) => o.slice(5));
  return files.length ? files.join(', ') : '.env';
}
