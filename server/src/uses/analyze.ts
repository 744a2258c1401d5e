/**
 * The uses of every read site (issue 15): starts from the site's flow in its own file (kept from
 * the scan's parse, else parsed here once per file: siteFlows.ts), then follows, by name, the
 * value into the files it escapes to —
 * struct fields (caarlos0/env, envconfig, assignments), package-level variables, results of
 * the function it is returned from, parameters of the function it is passed to. No IO: the
 * caller hands over the sources; nothing here throws on bad Go.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { findLocalDecl, parameters } from '../scan/scope';
import type { Site } from '../scan/types';
import { escapeRe } from '../scan/syntax';
import { Follower, type Escape } from './follow';
import { copyFlow, localFlow, type LocalFlow } from './siteFlows';
import { PartialTrees } from './partialTrees';
import { selectorIndex } from './selectors';
import type { SiteFlow, Use } from './types';
import { isAssignedTo, named, outerFunction, referencesAfter, type FileView } from './view';

/** One Go file the analysis may read: its path relative to the root and its source. */
export interface UsesSource {
  rel: string;
  get(): string | Uint8Array | undefined;
}

/** Files an escape may search before it is dropped (a field named `Name` is everywhere). */
const MAX_ESCAPE_FILES = 25;
/** Rounds of escapes followed from one site (site → field → helper result → …). */
const MAX_ROUNDS = 4;

/** Counters for bench:scan. */
export interface UsesStats {
  parsedFiles: number;
  failures: number;
}

/**
 * What a site's flow read besides its own file: the packages (directories) whose files it
 * searched for a name, and the names it looked up across packages (in every file holding the
 * word). A change of a file outside these leaves the flow as it is (incremental.ts).
 */
export interface FlowDeps {
  dirs: Set<string>;
  words: Set<string>;
}

/** Looks up a site's local flow computed ahead (undefined: compute it). */
export type KnownFlows = (site: Site) => LocalFlow | undefined;

function bytesOf(raw: string | Uint8Array): Buffer {
  return typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

/** Finds the uses of read sites; call `delete()` when done to free the trees. */
export class UsesAnalysis {
  private readonly trees: PartialTrees;
  private readonly texts = new Map<string, string | null>();
  private readonly byRel = new Map<string, UsesSource>();
  private readonly flows = new Map<string, { flow: SiteFlow; deps: FlowDeps }>();
  private readonly byDir = new Map<string, UsesSource[]>();
  /** Files that read `.Name`, for escapes across packages (selectors.ts; built on first use). */
  private selectors: Map<string, UsesSource[]> | null = null;
  readonly stats: UsesStats = { parsedFiles: 0, failures: 0 };

  constructor(
    parser: Parser,
    private readonly sources: UsesSource[],
    /** A site's flow in its own file when already known (from the scanner's tree: siteFlows.ts). */
    private readonly known?: KnownFlows,
  ) {
    this.trees = new PartialTrees(parser);
    for (const s of sources) {
      this.byRel.set(s.rel, s);
      const list = this.byDir.get(dirOf(s.rel)) ?? [];
      list.push(s);
      this.byDir.set(dirOf(s.rel), list);
    }
  }

  /** The flow of one site (read sites only; others have none). */
  flowOf(site: Site): SiteFlow | null {
    return this.flowAndDeps(site)?.flow ?? null;
  }

  /** The flow of one read site and what it depends on; null for other kinds. */
  flowAndDeps(site: Site): { flow: SiteFlow; deps: FlowDeps } | null {
    if (site.kind !== 'read') return null;
    const id = `${site.file}:${site.line}:${site.column}`;
    let entry = this.flows.get(id);
    if (!entry) {
      const deps: FlowDeps = { dirs: new Set(), words: new Set() };
      let flow: SiteFlow;
      try {
        flow = this.compute(site, deps);
      } catch {
        // NOTE: one strange file costs that site its uses, nothing else.
        this.stats.failures++;
        flow = { uses: [], checked: false };
      }
      entry = { flow, deps };
      this.flows.set(id, entry);
    }
    return entry;
  }

  delete(): void {
    this.trees.delete();
    this.texts.clear();
  }

  private text(rel: string): string | null {
    if (!this.texts.has(rel)) {
      const raw = this.byRel.get(rel)?.get();
      this.texts.set(rel, raw === undefined ? null : typeof raw === 'string' ? raw : bytesOf(raw).toString('utf8'));
    }
    return this.texts.get(rel)!;
  }

  /** A view of `rel` with the declarations around `offsets` parsed. */
  private view(rel: string, offsets: number[]): FileView | null {
    const text = this.text(rel);
    if (text === null) return null;
    const v = this.trees.view(rel, text, offsets);
    this.stats.parsedFiles = this.trees.parses;
    return v;
  }

  private compute(site: Site, deps: FlowDeps): SiteFlow {
    const kept = this.known?.(site);
    const flow = kept ? copyFlow(kept) : this.localFlow(site);
    const done = new Set<string>();
    for (let round = 0; round < MAX_ROUNDS && flow.escapes.length; round++) {
      const escapes = flow.escapes.splice(0);
      for (const e of escapes) {
        const id = `${e.t}:${e.dir}:${e.name}:${e.t === 'param' ? e.index : ''}`;
        if (done.has(id)) continue;
        done.add(id);
        for (const [v, starts] of this.targets(e, deps)) new Follower(v, flow).run(starts.map((n) => ({ node: n, part: e.part })));
      }
    }
    return { uses: dedupe(flow.uses), checked: flow.checked };
  }

  /** The site's flow in its own file, on this analysis' parse of it. */
  private localFlow(site: Site): LocalFlow {
    const text = this.text(site.file);
    const view = text === null ? null : this.view(site.file, [(this.trees.lineStarts(site.file, text)[site.line - 1] ?? 0) + site.column - 1]);
    return view ? localFlow(view, site.line, site.column) : { uses: [], checked: false, escapes: [] };
  }

  /** The nodes, per file, where an escaped value is read again (noting in `deps` where they were looked for). */
  private targets(e: Escape, deps: FlowDeps): Map<FileView, Node[]> {
    const out = new Map<FileView, Node[]>();
    const samePkg = !acrossPackages(e);
    if (samePkg) deps.dirs.add(e.dir);
    else deps.words.add(e.name);
    const needle = e.t === 'field' ? `.${e.name}` : e.name;
    // Within the package: its files. Across packages: the files that read `.Name` (an index),
    // and for a function also its own package's files (calls there are bare `Name(…)`).
    const dir = this.byDir.get(e.dir) ?? [];
    const across = samePkg ? [] : ((this.selectors ??= selectorIndex(this.sources)).get(e.name) ?? []);
    const pool = samePkg ? dir : e.t === 'result' ? [...new Set([...across, ...dir])] : across;    if (pool.length > MAX_ESCAPE_FILES * 4) return out;
    const files = pool.filter((s) => mentions(s, needle));
    if (files.length > MAX_ESCAPE_FILES) return out;
    const places = targetPlaces(e);
    for (const s of files) {
      const text = this.text(s.rel);
      if (text === null) continue;
      // Only the declarations that can hold a target are parsed; a file with none is not.
      const offsets = [...text.matchAll(places)].map((m) => m.index);
      if (!offsets.length) continue;
      const v = this.view(s.rel, offsets);
      if (!v) continue;
      const nodes = findTargets(v, e, samePkg || dirOf(s.rel) === e.dir);
      if (nodes.length) out.set(v, nodes);
    }
    return out;
  }
}

/** Space or comments between two tokens (a line comment ends in a line break). */
const GAP = String.raw`(?:\s|/\*[\s\S]*?\*/|//[^\n]*\n)*`;

/**
 * Where the text may hold a target of an escape (matches are the name): a selector `.Name`
 * for a field, a call `name(` / `x.name(` for a result, `func name` for a parameter
 * (findTargets looks only at these), every mention of a package-level variable. A superset of
 * the targets: the declarations without one need no parse. The name comes first in each
 * pattern, so the search looks for it before it looks around it.
 */
function targetPlaces(e: Escape): RegExp {
  const name = String.raw`\b${escapeRe(e.name)}\b`;
  switch (e.t) {
    case 'field':
      return new RegExp(String.raw`${name}(?<=\.${GAP}${escapeRe(e.name)})`, 'g');
    case 'result':
      return new RegExp(String.raw`${name}(?=${GAP}\()`, 'g');
    case 'param':
      return new RegExp(String.raw`${name}(?<=\bfunc${GAP}${escapeRe(e.name)})`, 'g');
    case 'pkgvar':
      return new RegExp(name, 'g');
  }
}

/** Whether an escape is followed in other packages too: an exported field, or an exported function's result. */
function acrossPackages(e: Escape): boolean {
  return /^[A-Z]/.test(e.name) && (e.t === 'field' || e.t === 'result');
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
  switch (e.t) {
    case 'field':
      // Reads of `x.Name` (not writes, not method calls).
      return named(v, 'fields', e.name).filter((n) => {
        const p = n.parent;
        return !(p?.type === 'call_expression' && p.childForFieldName('function')?.id === n.id) && !isAssignedTo(n);
      });
    case 'pkgvar':
      return named(v, 'names', e.name).filter((n) => n.parent?.type !== 'var_spec' && !isAssignedTo(n) && !!outerFunction(n) && !findLocalDecl(n, n.text));
    case 'result':
      return named(v, 'calls', e.name).filter((c) => {
        const f = c.childForFieldName('function');
        if (f?.type === 'identifier') return samePkg && f.text === e.name;
        return f?.type === 'selector_expression' && f.childForFieldName('field')?.text === e.name;
      });
    case 'param': {
      if (!samePkg) return [];
      const out: Node[] = [];
      for (const id of named(v, 'names', e.name)) {
        const fn = id.parent;
        if (fn?.type !== 'function_declaration' || fn.childForFieldName('name')?.id !== id.id) continue;
        const p = parameters(fn.childForFieldName('parameters')).find((x) => x.index === e.index);
        const body = fn.childForFieldName('body');
        if (p && body) out.push(...referencesAfter(v, body, p.name, body.startIndex));
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
