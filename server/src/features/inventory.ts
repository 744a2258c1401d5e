/** envtrace/inventory: every key and pattern with its sites, for the client's tree view. */
import type { InventoryKey, InventoryResult, SiteInfo } from '../protocol';
import type { SiteEntry } from './model';
import { sortEntries } from './sites';

/** Groups `entries` by key (then pattern); sites without either go to `other`. */
export function inventory(entries: Iterable<SiteEntry>, files: number, indexing: boolean): InventoryResult {
  const keys = new Map<string, SiteEntry[]>();
  const patterns = new Map<string, SiteEntry[]>();
  const other: SiteEntry[] = [];
  for (const e of entries) {
    const [map, name] = e.site.key !== null ? [keys, e.site.key] : [patterns, e.site.pattern];
    if (name === null) {
      other.push(e);
      continue;
    }
    const list = map.get(name);
    if (list) list.push(e);
    else map.set(name, [e]);
  }
  const out: InventoryKey[] = [];
  for (const [name, list] of keys) out.push({ name, isPattern: false, sites: sortEntries(list).map(siteInfo) });
  for (const [name, list] of patterns) out.push({ name, isPattern: true, sites: sortEntries(list).map(siteInfo) });
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Number(a.isPattern) - Number(b.isPattern)));
  return { keys: out, other: sortEntries(other).map(siteInfo), files, indexing };
}

/** A site as the custom messages carry it. */
export function siteInfo(e: SiteEntry): SiteInfo {
  const s = e.site;
  return {
    uri: e.uri,
    range: e.range,
    kind: s.kind,
    key: s.key,
    pattern: s.pattern,
    api: s.api,
    default: s.default,
    function: s.function,
    test: s.test,
  };
}
