/**
 * Where each env value goes (issue 15), the public API of uses/:
 *
 *   const report = usesOf(parser, sources, sites);   // sources: every Go file (rel path + text)
 *   report.siteUses[i]    // Use[] of sites[i] (read sites; null for other kinds)
 *   report.keys[KEY]      // { role, risk, reasons }
 *
 * No IO and no editor: the CLI (scan --json, check), the language server (hover, the
 * Environment view, the graph) and bench:scan call it alike.
 */
import type { Parser } from 'web-tree-sitter';
import type { Site } from '../scan/types';
import { UsesAnalysis, type UsesSource, type UsesStats } from './analyze';
import { keyRisk } from './risk';
import type { KeyRisk, SiteFlow, Use } from './types';

export type { KeyRisk, Role, RiskLevel, SinkKind, Use } from './types';
export type { UsesSource } from './analyze';
export { describeUse, maxRisk } from './risk';
export { envGraph, graphPackages, type EnvGraph, type GraphEdge, type GraphNode } from './graph';

/** The uses of a set of sites and the role and risk of their keys. */
export interface UsesReport {
  siteUses: (Use[] | null)[];
  keys: Record<string, KeyRisk>;
  stats: UsesStats & { ms: number };
}

/** Follows every read site's value (see analyze.ts) and labels every key read statically. */
export function usesOf(parser: Parser, sources: UsesSource[], sites: Site[]): UsesReport {
  const t0 = performance.now();
  const analysis = new UsesAnalysis(parser, sources);
  try {
    const flows = sites.map((s) => analysis.flowOf(s));
    const byKey = new Map<string, { site: Site; flow: SiteFlow }[]>();
    sites.forEach((site, i) => {
      const flow = flows[i];
      if (!flow || site.key === null) return;
      const list = byKey.get(site.key) ?? [];
      list.push({ site, flow });
      byKey.set(site.key, list);
    });
    const keys: Record<string, KeyRisk> = {};
    for (const key of [...byKey.keys()].sort()) keys[key] = keyRisk(key, byKey.get(key)!);
    return { siteUses: flows.map((f) => f?.uses ?? null), keys, stats: { ...analysis.stats, ms: performance.now() - t0 } };
  } finally {
    analysis.delete();
  }
}
