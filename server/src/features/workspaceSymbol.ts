/** workspace/symbol: finds keys and patterns by substring or fuzzy (subsequence) match. */
import { SymbolKind, type SymbolInformation } from 'vscode-languageserver-protocol';
import type { SiteEntry, SiteIndex } from './model';
import { sortEntries, verb } from './sites';

/** Most symbols one answer returns; editors refine with a longer query. */
const MAX_SYMBOLS = 1000;

/**
 * One symbol per site of every key or pattern matching `query` (case-insensitive): exact
 * matches first, then prefix, substring and subsequence matches. Name: the key; container:
 * what the site does and where (`read · os.Getenv · main.main`).
 */
export function workspaceSymbols(index: SiteIndex, query: string): SymbolInformation[] {
  const q = query.toLowerCase();
  const ranked: { name: string; rank: number; sites: readonly SiteEntry[] }[] = [];
  for (const key of index.keys()) {
    const rank = matchRank(key.toLowerCase(), q);
    if (rank >= 0) ranked.push({ name: key, rank, sites: index.withKey(key) });
  }
  for (const pattern of index.patterns()) {
    const rank = matchRank(pattern.toLowerCase(), q);
    if (rank >= 0) ranked.push({ name: pattern, rank, sites: index.withPattern(pattern) });
  }
  ranked.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: SymbolInformation[] = [];
  for (const r of ranked) {
    for (const e of sortEntries([...r.sites])) {
      if (out.length >= MAX_SYMBOLS) return out;
      out.push({
        name: r.name,
        kind: SymbolKind.Constant,
        location: { uri: e.uri, range: e.range },
        containerName: [verb(e.site.kind), e.site.api, e.site.function].filter((x) => x !== null).join(' · '),
      });
    }
  }
  return out;
}

/** 0 exact, 1 prefix, 2 substring, 3 subsequence, -1 no match. An empty query matches everything. */
export function matchRank(name: string, q: string): number {
  if (q === '') return 2;
  if (name === q) return 0;
  if (name.startsWith(q)) return 1;
  if (name.includes(q)) return 2;
  let i = 0;
  for (const c of name) if (c === q[i] && ++i === q.length) return 3;
  return -1;
}
