/**
 * The uses of every read site (issue 15): parses the files that hold sites (once each), follows
 * each site's value there (follow.ts) and, by name, into the files its value escapes to —
 * struct fields (caarlos0/env, envconfig, assignments), package-level variables, results of
 * the function it is returned from, parameters of the function it is passed to. No IO: the
 * caller hands over the sources; nothing here throws on bad Go.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { findLocalDecl, parameters } from '../scan/scope';
import type { Site } from '../scan/types';
import { Follower, type Escape } from './follow';
import type { SiteFlow, Use } from './types';
import { isAssignedTo, outerFunction, referencesAfter, viewOf, type FileView } from './view';

/** One Go file the analysis may read: its path relative to the root and its source. */
export interface UsesSource {
  rel: string;
  get(): string | Uint8Array | undefined;
}

/** Files an escape may search before it is dropped (a field named `Name` is everywhere). */
const MAX_ESCAPE_FILES = 100;
/** Rounds of escapes followed from one site (site → field → helper result → …). */
const MAX_ROUNDS = 4;

/** Counters for bench:scan. */
export interface UsesStats {
  parsedFiles: number;
  failures: number;
}

type Flow = SiteFlow & { escapes: Escape[] };

function bytesOf(raw: string | Uint8Array): Buffer {
  return typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

/** Finds the uses of read sites; call `delete()` when done to free the trees. */
export class UsesAnalysis {
  private readonly views = new Map<string, FileView | null>();
  private readonly byRel = new Map<string, UsesSource>();
  private readonly flows = new Map<string, SiteFlow>();
  readonly stats: UsesStats = { parsedFiles: 0, failures: 0 };

  constructor(
    private readonly parser: Parser,
    private readonly sources: UsesSource[],
  ) {
    for (const s of sources) this.byRel.set(s.rel, s);
  }

  /** The flow of one site (read sites only; others have none). */
  flowOf(site: Site): SiteFlow | null {
    if (site.kind !== 'read') return null;
    const id = `${site.file}:${site.line}:${site.column}`;
    let flow = this.flows.get(id);
    if (!flow) {
      try {
        flow = this.compute(site);
      } catch {
        // NOTE: one strange file costs that site its uses, nothing else.
        this.stats.failures++;
        flow = { uses: [], checked: false };
      }
      this.flows.set(id, flow);
    }
    return flow;
  }

  delete(): void {
    for (const v of this.views.values()) v?.tree.delete();
    this.views.clear();
  }

  private view(rel: string): FileView | null {
    if (this.views.has(rel)) return this.views.get(rel)!;
    const raw = this.byRel.get(rel)?.get();
    let view: FileView | null = null;
    if (raw !== undefined) {
      const tree = this.parser.parse(typeof raw === 'string' ? raw : bytesOf(raw).toString('utf8'));
      this.stats.parsedFiles++;
      view = tree ? viewOf(tree, rel) : null;
    }
    this.views.set(rel, view);
    return view;
  }

  private compute(site: Site): SiteFlow {
    const flow: Flow = { uses: [], checked: false, escapes: [] };
    const view = this.view(site.file);
    if (!view) return flow;
    const at = { row: site.line - 1, column: site.column - 1 };
    let node: Node | null = view.tree.rootNode.descendantForPosition(at);
    while (node && !(node.startPosition.row === at.row && node.startPosition.column === at.column && (node.type === 'call_expression' || node.type === 'field_declaration'))) node = node.parent;
    if (!node) return flow;
    if (node.type === 'field_declaration') {
      for (const n of node.childrenForFieldName('name')) if (n) flow.escapes.push({ t: 'field', name: n.text, part: null });
    } else new Follower(view, flow).run([{ node, part: null }]);
    const done = new Set<string>();
    for (let round = 0; round < MAX_ROUNDS && flow.escapes.length; round++) {
      const escapes = flow.escapes.splice(0);
      for (const e of escapes) {
        const id = `${e.t}:${'dir' in e ? e.dir : ''}:${e.name}:${e.t === 'param' ? e.index : ''}`;
        if (done.has(id)) continue;
        done.add(id);
        for (const [v, starts] of this.targets(e)) new Follower(v, flow).run(starts.map((n) => ({ node: n, part: e.part })));
      }
    }
    return { uses: dedupe(flow.uses), checked: flow.checked };
  }

  /** The nodes, per file, where an escaped value is read again. */
  private targets(e: Escape): Map<FileView, Node[]> {
    const out = new Map<FileView, Node[]>();
    const samePkg = e.t !== 'field' && !(e.t === 'result' && /^[A-Z]/.test(e.name));
    const needle = e.t === 'field' ? `.${e.name}` : e.name;
    const files = this.sources.filter((s) => (!samePkg || dirOf(s.rel) === ('dir' in e ? e.dir : '')) && mentions(s, needle));
    if (files.length > MAX_ESCAPE_FILES) return out;
    for (const s of files) {
      const v = this.view(s.rel);
      if (!v) continue;
      const nodes = findTargets(v, e, samePkg || dirOf(s.rel) === ('dir' in e ? e.dir : ''));
      if (nodes.length) out.set(v, nodes);
    }
    return out;
  }
}

function dirOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

function mentions(s: UsesSource, needle: string): boolean {
  const raw = s.get();
  return raw !== undefined && (typeof raw === 'string' ? raw.includes(needle) : bytesOf(raw).includes(needle));
}

function findTargets(v: FileView, e: Escape, samePkg: boolean): Node[] {
  const root = v.tree.rootNode;
  switch (e.t) {
    case 'field':
      // Reads of `x.Name` (not writes, not method calls).
      return root.descendantsOfType('selector_expression').filter((n): n is Node => {
        if (!n || n.childForFieldName('field')?.text !== e.name) return false;
        const p = n.parent;
        return !(p?.type === 'call_expression' && p.childForFieldName('function')?.id === n.id) && !isAssignedTo(n);
      });
    case 'pkgvar':
      return root.descendantsOfType('identifier').filter((n): n is Node => !!n && n.text === e.name && n.parent?.type !== 'var_spec' && !isAssignedTo(n) && !findLocalDecl(n, n.text) && !!outerFunction(n));
    case 'result':
      return root.descendantsOfType('call_expression').filter((c): c is Node => {
        const f = c?.childForFieldName('function');
        if (!f) return false;
        if (f.type === 'identifier') return samePkg && f.text === e.name;
        return f.type === 'selector_expression' && f.childForFieldName('field')?.text === e.name;
      });
    case 'param': {
      if (!samePkg) return [];
      const out: Node[] = [];
      for (const fn of root.descendantsOfType('function_declaration')) {
        if (fn?.childForFieldName('name')?.text !== e.name) continue;
        const p = parameters(fn.childForFieldName('parameters')).find((x) => x.index === e.index);
        const body = fn.childForFieldName('body');
        if (p && body) out.push(...referencesAfter(body, p.name, body.startIndex));
      }
      return out;
    }
  }
}

function dedupe(uses: Use[]): Use[] {
  const seen = new Map<string, Use>();
  for (const u of uses) {
    const id = `${u.file}:${u.line}:${u.column}:${u.kind}:${u.api}`;
    if (!seen.has(id)) seen.set(id, u);
  }
  return [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}
