/** The uses analysis in the editor (issue 15): a hover annotator over each folder's uses report, and the dependency graph. */
import { basename, join } from 'node:path';
import type { SiteAnnotator } from './features/model';
import type { GraphNodeInfo, GraphPackage, GraphParams, GraphResult, InventoryResult } from './protocol';
import { maxRisk, type GraphEdge } from './uses/index';
import { usesSections } from './features/usesHover';
import { canonicalUri, pathToUri } from './workspace/files';
import type { Workspace } from './workspace/workspace';

/** Adds "Used as", role and risk to the hover of a read site. */
export function usesAnnotator(workspace: Workspace): SiteAnnotator {
  return {
    hover(e) {
      // A dynamic key (a helper's own read, `os.LookupEnv(key)`) would list the uses of every
      // caller's key: each caller's site shows its own.
      if (e.site.key === null && e.site.pattern === null) return [];
      const folder = workspace.folderOf(e.uri);
      const report = folder?.scan.uses?.();
      const uses = report?.siteUses(e.site);
      if (!folder || !report || !uses) return [];
      const uriOf = (file: string) => pathToUri(join(folder.root, ...file.split('/')));
      return usesSections(uses, e.site.key !== null ? report.key(e.site.key) : undefined, uriOf);
    },
  };
}

/** The inventory with each key's role and risk (from the folder of its first site). */
export function withKeyRisks(result: InventoryResult, workspace: Workspace): InventoryResult {
  for (const k of result.keys) {
    const uri = k.sites[0]?.uri;
    const risk = !k.isPattern && uri ? workspace.folderOf(uri)?.scan.uses?.()?.key(k.name) : undefined;
    if (risk) k.risk = { role: risk.role, risk: risk.risk, reasons: risk.reasons };
  }
  return result;
}

/**
 * `envtrace/graph`: the dependency graph of one package, one folder or every folder. With several
 * folders, function and sink nodes get the folder's URI in their id; a key read in several folders
 * is one node (the environment is shared) with the highest of its risks.
 */
export function dependencyGraph(workspace: Workspace, params: GraphParams | undefined): GraphResult {
  const asked = params?.folderUri !== undefined ? canonicalUri(params.folderUri) : undefined;
  const all = workspace.folderUris();
  const several = all.length > 1;
  const nodes = new Map<string, GraphNodeInfo>();
  const edges = new Map<string, GraphEdge>();
  const packages: GraphPackage[] = [];
  let indexing = false;
  for (const folderUri of all) {
    const folder = workspace.folderAt(folderUri);
    const report = folder?.scan.uses?.();
    indexing ||= !!folder?.indexing;
    if (!folder || !report) continue;
    const name = basename(folder.root);
    for (const dir of report.packages()) packages.push({ folderUri, dir, label: several ? `${name}: ${dir || '.'}` : dir || '.' });
    if (asked !== undefined && asked !== folderUri) continue;
    const g = report.graph(asked !== undefined ? params?.package : undefined);
    const idOf = (id: string) => (several && !id.startsWith('key:') ? `${folderUri}#${id}` : id);
    for (const n of g.nodes) {
      const id = idOf(n.id);
      const had = nodes.get(id);
      if (!had) nodes.set(id, { ...n, id, uri: pathToUri(join(folder.root, ...n.file.split('/'))) });
      else had.risk = maxRisk(had.risk, n.risk);
    }
    for (const e of g.edges) {
      const from = idOf(e.from);
      const to = idOf(e.to);
      const had = edges.get(`${from}\u0000${to}`);
      if (!had) edges.set(`${from}\u0000${to}`, { ...e, from, to });
      else had.risk = maxRisk(had.risk, e.risk);
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], packages, indexing };
}
