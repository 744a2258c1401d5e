/**
 * Where each env value goes (issue 15), the public API of uses/:
 *
 *   const report = usesOf(parser, sources, sites);   // sources: every Go file (rel path + text)
 *   report.siteUses[i]    // Use[] of sites[i] (read sites; null for other kinds)
 *   report.keys[KEY]      // { role, risk, reasons }
 *
 * No IO and no editor: the CLI (scan --json, check), the language server (hover, the
 * Environment view, the graph) and bench:scan call it alike. The language server keeps flows
 * between edits with IncrementalUses (incremental.ts), which gives the same report.
 */
import type { Parser } from 'web-tree-sitter';
import type { Site } from '../scan/types';
import { UsesAnalysis, type KnownFlows, type UsesSource } from './analyze';
import { assembleReport, type UsesReport } from './report';

export type { KeyRisk, Role, RiskLevel, SinkKind, Use } from './types';
export type { KnownFlows, UsesSource } from './analyze';
export { keptFlows, localFlowsOf, type LocalFlows } from './siteFlows';
export type { UsesReport } from './report';
export { describeUse, maxRisk } from './risk';
export { envGraph, graphPackages, type EnvGraph, type GraphEdge, type GraphNode } from './graph';
export { IncrementalUses, type ChangedSource } from './incremental';

/**
 * Follows every read site's value (see analyze.ts) and labels every key read statically.
 * `known`: the sites' flows in their own files where the scanner's trees gave them (siteFlows.ts).
 */
export function usesOf(parser: Parser, sources: UsesSource[], sites: Site[], known?: KnownFlows): UsesReport {
  const t0 = performance.now();
  const analysis = new UsesAnalysis(parser, sources, known);
  try {
    const flows = sites.map((s) => analysis.flowOf(s));
    return assembleReport(sites, flows, { ...analysis.stats, ms: performance.now() - t0 });
  } finally {
    analysis.delete();
  }
}
