/** textDocument/references from a site: every site of its key. */
import type { Location, Position } from 'vscode-languageserver-protocol';
import type { SiteIndex } from './model';
import { sameSite, siteAt, sitesOfGroup } from './sites';

/**
 * Every site of the key (or pattern) of the site at `pos`, or null when no site is there.
 * An env key has no declaration, so `includeDeclaration: false` leaves out only the site the
 * request starts from (as editors do for a symbol's own declaration).
 */
export function references(index: SiteIndex, uri: string, pos: Position, includeDeclaration: boolean): Location[] | null {
  const e = siteAt(index, uri, pos);
  if (!e) return null;
  const all = sitesOfGroup(index, e);
  if (all.length === 0) return includeDeclaration ? [{ uri: e.uri, range: e.range }] : [];
  return all.filter((o) => includeDeclaration || !sameSite(o, e)).map((o) => ({ uri: o.uri, range: o.range }));
}
