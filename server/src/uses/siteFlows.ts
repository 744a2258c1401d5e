/**
 * The first step of a read site's flow: from the call (or struct field) at the site, through
 * its own file, up to the escapes that analyze.ts follows into other files. It needs only a
 * tree that holds the site's declaration and the imports, so it runs on the tree the scanner
 * already parsed (in a scan worker or at refresh: localFlowsOf, kept in the file's facts) as
 * well as on the analysis' own parse; a file with sites is then parsed once, not twice.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { TreeHook } from '../scan/extract';
import type { FileFacts, Span } from '../scan/fileFacts';
import type { FieldFact } from '../scan/libraryFacts';
import type { Site } from '../scan/types';
import { Follower, type Escape } from './follow';
import type { SiteFlow } from './types';
import { viewOf, type FileView } from './view';

/** What one site's value does in its own file, and where it leaves it. */
export type LocalFlow = SiteFlow & { escapes: Escape[] };

/** Local flows of a file by the `line:column` (1-based) of the site they start at. */
export type LocalFlows = Record<string, LocalFlow>;

/** The local flow of the site at `line`:`column` of `view`. */
export function localFlow(view: FileView, line: number, column: number): LocalFlow {
  const flow: LocalFlow = { uses: [], checked: false, escapes: [] };
  const at = { row: line - 1, column: column - 1 };
  let node: Node | null = view.tree.rootNode.descendantForPosition(at);
  while (node && !(node.startPosition.row === at.row && node.startPosition.column === at.column && (node.type === 'call_expression' || node.type === 'field_declaration'))) node = node.parent;
  if (!node) return flow;
  if (node.type === 'field_declaration') {
    for (const n of node.childrenForFieldName('name')) if (n) flow.escapes.push({ t: 'field', dir: view.dir, name: n.text, part: null });
  } else new Follower(view, flow).run([{ node, part: null }]);
  return flow;
}

/**
 * The local flows of every place in a file the scanner may make a read site of (an env API
 * call, a helper call, an ExpandEnv variable, a config struct's field, a config library call),
 * on the scanner's own tree. A flow that throws is left out: the analysis computes it again
 * and counts the failure.
 */
export function localFlowsOf(tree: Tree, rel: string, text: string, facts: FileFacts): LocalFlows {
  const view = viewOf(tree, rel, text);
  const out: LocalFlows = {};
  for (const span of siteSpans(facts)) {
    const id = `${span.line}:${span.column}`;
    if (out[id]) continue;
    try {
      out[id] = localFlow(view, span.line, span.column);
    } catch {
      // computed again (and counted) by the analysis
    }
  }
  return out;
}

function* siteSpans(facts: FileFacts): Iterable<Span> {
  for (const call of facts.calls) {
    yield call.span;
    for (const v of call.vars ?? []) yield v.span;
  }
  for (const call of facts.lib?.calls ?? []) yield call.span;
  const fields = (list: FieldFact[]): Span[] => list.flatMap((f) => [f.span, ...fields(f.inline ?? [])]);
  for (const s of facts.lib?.structs ?? []) yield* fields(s.fields);
}

/** A copy the analysis may extend (a kept flow may start several sites' flows). */
export function copyFlow(f: LocalFlow): LocalFlow {
  return { uses: [...f.uses], checked: f.checked, escapes: [...f.escapes] };
}

/** The scanner's tree hook (extract.ts) that keeps a file's local flows in its facts. */
export function localFlowsHook(rel: string): TreeHook {
  return (tree, text, facts) => {
    facts.flows = localFlowsOf(tree, rel, text, facts);
  };
}

/** What keptFlows needs of a scanner index (scan/workspace.ts). */
interface FlowKeeper {
  keepLocalFlows: boolean;
  goFiles(): string[];
  relativePath(path: string): string;
  localFlowAt(path: string, line: number, column: number): LocalFlow | undefined;
}

/** The local flows an index kept from its own parses (`keepLocalFlows`) by site, else undefined. */
export function keptFlows(index: FlowKeeper): ((site: Site) => LocalFlow | undefined) | undefined {
  if (!index.keepLocalFlows) return undefined;
  const paths = new Map(index.goFiles().map((p) => [index.relativePath(p), p]));
  return (site) => {
    const path = paths.get(site.file);
    return path === undefined ? undefined : index.localFlowAt(path, site.line, site.column);
  };
}
