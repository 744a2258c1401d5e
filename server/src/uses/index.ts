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
import { UsesAnalysis, type UsesSource } from './analyze';
import { assembleReport, type UsesReport } from './report';

export type { KeyRisk, Role, RiskLevel, SinkKind, Use } from './types';
export type { UsesSource } from './analyze';
export type { UsesReport } from './report';
export { describeUse, maxRisk } from './risk';
export { envGraph, graphPackages, type EnvGraph, type GraphEdge, type GraphNode } from './graph';
export { IncrementalUses, type ChangedSource } from './incremental';

/** Follows every read site's value (see analyze.ts) and labels every key read statically. */
export function usesOf(parser: Parser, sources: UsesSource[], sites: Site[]): UsesReport {
  const t0 = performance.now();
  const analysis = new UsesAnalysis(parser, sources);
  try {
    const flows = sites.map((s) => analysis.flowOf(s));
    return assembleReport(sites, flows, { ...analysis.stats, ms: performance.now() - t0 });
  } finally {
    analysis.delete();
  }
}
