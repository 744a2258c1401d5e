/**
 * The environment dependency graph (issue 15) as data: keys → the functions that use them →
 * the sinks (database, HTTP server, logs, files…), each key coloured by its risk, each node
 * with a place to open. Per package (a directory) or for the whole workspace. A view (a
 * webview with a graph library, `envtrace scan --json` readers) draws it; nothing here draws.
 */
import type { Site } from '../scan/types';
import { maxRisk } from './risk';
import type { KeyRisk, RiskLevel, Role, SinkKind, Use } from './types';

export interface GraphNode {
  id: string;
  kind: 'key' | 'function' | 'sink';
  label: string;
  /** Keys: their risk; functions and sinks: the highest risk of the keys that reach them. */
  risk: RiskLevel;
  /** Sinks: what kind. */
  sink?: SinkKind;
  /** Keys: their role and the risk rules that fired (as `keys[KEY]` of scan --json). */
  role?: Role;
  reasons?: string[];
  /** Where clicking opens: a site, the first use in the function, the consuming call. */
  file: string;
  line: number;
  column: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** The highest risk of the keys whose value goes along this edge. */
  risk: RiskLevel;
}

export interface EnvGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}


/** The graph of `sites` (with their uses, index for index) limited to package `dir` when given ('' is the root package). */
export function envGraph(sites: Site[], siteUses: (readonly Use[] | null)[], keys: Record<string, KeyRisk>, dir?: string): EnvGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  /** Sink id → the parts the values play there (`user`, `password`, `host` of one DSN). */
  const parts = new Map<string, Set<string>>();
  const inDir = (file: string) => dir === undefined || dirOf(file) === dir;
  const raise = (n: { risk: RiskLevel }, r: RiskLevel) => (n.risk = maxRisk(n.risk, r));
  const edge = (from: string, to: string, risk: RiskLevel) => {
    const id = `${from}\u0000${to}`;
    const e = edges.get(id);
    if (!e) edges.set(id, { from, to, risk });
    else raise(e, risk);
  };
  const node = (n: GraphNode) => nodes.get(n.id) ?? (nodes.set(n.id, n), n);
  sites.forEach((s, i) => {
    const uses = siteUses[i];
    if (s.key === null || !uses?.length) return;
    const mine = uses.filter((u) => inDir(u.file) || inDir(s.file));
    if (!mine.length) return;
    const k = keys[s.key];
    const risk = k?.risk ?? 'unknown';
    const keyId = `key:${s.key}`;
    node({ id: keyId, kind: 'key', label: s.key, risk, ...(k ? { role: k.role, reasons: k.reasons } : {}), file: s.file, line: s.line, column: s.column });
    for (const u of mine) {
      // Two packages main (two commands of one folder) each have a main.main: the directory tells them apart.
      const fnLabel = u.function ?? `${u.file} (package level)`;
      const fn = node({ id: `fn:${dirOf(u.file)}:${fnLabel}`, kind: 'function', label: fnLabel, risk: 'unknown', file: u.file, line: u.line, column: u.column });
      raise(fn, risk);
      const sink = node({ id: `sink:${u.file}:${u.line}:${u.column}:${u.api}`, kind: 'sink', label: u.api, risk: 'unknown', sink: u.kind, file: u.file, line: u.line, column: u.column });
      raise(sink, risk);
      if (u.part) parts.set(sink.id, (parts.get(sink.id) ?? new Set()).add(u.part));
      edge(keyId, fn.id, risk);
      edge(fn.id, sink.id, risk);
    }
  });
  for (const [id, p] of parts) nodes.get(id)!.label += ` (${[...p].join(', ')})`;
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { nodes: [...nodes.values()].sort(byId), edges: [...edges.values()].sort((a, b) => byId({ id: a.from + a.to }, { id: b.from + b.to })) };
}

function dirOf(file: string): string {
  return file.slice(0, Math.max(0, file.lastIndexOf('/')));
}

/** The packages (directories, '' for the root) that `envGraph` has something for: those of read sites with uses and of their uses. */
export function graphPackages(sites: Site[], siteUses: (readonly Use[] | null)[]): string[] {
  const dirs = new Set<string>();
  sites.forEach((s, i) => {
    const uses = siteUses[i];
    if (s.key === null || !uses?.length) return;
    dirs.add(dirOf(s.file));
    for (const u of uses) dirs.add(dirOf(u.file));
  });
  return [...dirs].sort();
}
