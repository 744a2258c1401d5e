/**
 * `envtrace scan --json` with the uses of each read site and each key's role and risk
 * (issue 15, docs/FORMATS.md): the scan result as it was, plus `sites[i].uses` and `keys`.
 */
import { loadGoLanguage, newGoParser, type ScanResult, type WorkspaceIndex } from '../scan/index';
import { keptFlows, usesOf, type KeyRisk, type UsesReport, type UsesSource, type Use } from '../uses/index';

/** The scan result as `scan --json` prints it. */
export type ScanJson = Omit<ScanResult, 'sites'> & { sites: (ScanResult['sites'][number] & { uses?: Use[] })[]; keys: Record<string, KeyRisk> };

/** Every Go file of an index as a source for the uses analysis. */
export function indexSources(index: WorkspaceIndex): UsesSource[] {
  return index.goFiles().sort().map((p) => ({ rel: index.relativePath(p), get: () => index.sourceOf(p) }));
}

/** The uses report of an index's current sites (starting from the flows it kept, if any). */
export async function indexUses(index: WorkspaceIndex, sites = index.allSites()): Promise<UsesReport> {
  const parser = newGoParser(await loadGoLanguage());
  try {
    return usesOf(parser, indexSources(index), sites, keptFlows(index));
  } finally {
    parser.delete();
  }
}

/** `result` with `uses` on its read sites and `keys` after them. */
export async function scanWithUses(index: WorkspaceIndex, result: ScanResult): Promise<ScanJson> {
  const report = await indexUses(index, result.sites);
  const sites = result.sites.map((s, i) => (report.siteUses[i] ? { ...s, uses: report.siteUses[i]! } : s));
  return { ...result, sites, keys: report.keys };
}
