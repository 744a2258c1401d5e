/**
 * The environment dependency graph (issue 15) as data: keys → the functions that use them →
 * the sinks (database, HTTP server, logs, files…), each key coloured by its risk, each node
 * with a place to open. Per package (a directory) or for the whole workspace. A view (a
 * webview with a graph library, `envtrace scan --json` readers) draws it; nothing here draws.
 */
import type { Site } from '../scan/types';
import type { KeyRisk, RiskLevel, SinkKind, Use } from './types';

export interface GraphNode {
  id: string;
  kind: 'key' | 'function' | 'sink';
  label: string;
  /** Keys: their risk; functions and sinks: the highest risk of the keys that reach them. */
  risk: RiskLevel;
  /** Sinks: what kind. */
  sink?: SinkKind;
  /** Where clicking opens: a site, the first use in the function, the consuming call. */
  file: string;
  line: number;
  column: number;
}

export interface GraphEdge {
  from: string;
  to: string;
}

export interface EnvGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const ORDER: RiskLevel[] = ['unknown', 'low', 'medium', 'high', 'critical'];

/** The graph of `sites` (with their uses, index for index) limited to package `dir` when given ('' is the root package). */
export function envGraph(sites: Site[], siteUses: (Use[] | null)[], keys: Record<string, KeyRisk>, dir?: string): EnvGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const inDir = (file: string) => dir === undefined || file.slice(0, Math.max(0, file.lastIndexOf('/'))) === dir;
  const raise = (n: GraphNode, r: RiskLevel) => {
    if (ORDER.indexOf(r) > ORDER.indexOf(n.risk)) n.risk = r;
  };
  const edge = (from: string, to: string) => edges.set(`${from}\u0000${to}`, { from, to });
  sites.forEach((s, i) => {
    const uses = siteUses[i];
    if (s.key === null || !uses?.length) return;
    const mine = uses.filter((u) => inDir(u.file) || inDir(s.file));
    if (!mine.length) return;
    const risk = keys[s.key]?.risk ?? 'unknown';
    const keyId = `key:${s.key}`;
    if (!nodes.has(keyId)) nodes.set(keyId, { id: keyId, kind: 'key', label: s.key, risk, file: s.file, line: s.line, column: s.column });
    for (const u of mine) {
      const fnId = `fn:${u.function ?? `${u.file} (package level)`}`;
      const fn = nodes.get(fnId) ?? { id: fnId, kind: 'function' as const, label: u.function ?? `${u.file} (package level)`, risk: 'unknown' as RiskLevel, file: u.file, line: u.line, column: u.column };
      nodes.set(fnId, fn);
      raise(fn, risk);
      const sinkId = `sink:${u.file}:${u.line}:${u.column}:${u.api}`;
      const sink = nodes.get(sinkId) ?? { id: sinkId, kind: 'sink' as const, label: `${u.api}${u.part ? ` (${u.part})` : ''}`, risk: 'unknown' as RiskLevel, sink: u.kind, file: u.file, line: u.line, column: u.column };
      nodes.set(sinkId, sink);
      raise(sink, risk);
      edge(keyId, fnId);
      edge(fnId, sinkId);
    }
  });
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { nodes: [...nodes.values()].sort(byId), edges: [...edges.values()].sort((a, b) => byId({ id: a.from + a.to }, { id: b.from + b.to })) };
}
