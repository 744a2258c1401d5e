/**
 * Flame graph of env accesses: every recorded stack, aggregated, root (outermost frame)
 * first, with the access itself (`getenv PORT`) as the leaf. Width is the number of
 * accesses. Stacks are shared across processes, so a fleet run merges into one graph.
 * Memory is one counter per (stack, op, key), whatever the number of events.
 */
import type { Frame } from './frames';
import type { Op } from './records';
import { readRun, type ReadStats, type RunEvent, type RunVisitor } from './reader';
import { readOptionsFor } from './load';
import type { StoredRun } from './store';

/** Which accesses to count. Every field is optional; an empty filter counts everything. */
export interface FlameFilter {
  keys?: string[];
  /** Raw ops (`getenv`, …) or groups: `read`, `write`, `unset` (unsetenv, clearenv), `environ`. */
  ops?: string[];
  pids?: number[];
  /** Test names; a test also selects its subtests (`TestA` selects `TestA/x`). */
  tests?: string[];
  /** Only reads that found the key unset. */
  unsetOnly?: boolean;
}

const OP_GROUPS: Record<string, Op[]> = {
  read: ['getenv'],
  write: ['setenv'],
  unset: ['unsetenv', 'clearenv'],
  environ: ['environ'],
  process: ['spawn', 'exec'],
};

/** The op names and groups a filter accepts. */
export const FLAME_OPS = [...Object.keys(OP_GROUPS), 'getenv', 'setenv', 'unsetenv', 'clearenv', 'spawn', 'exec'];

/** One node of the graph. `file`/`line` are empty/0 for the leaf and synthetic frames; `line` is the heaviest call's. */
export interface FlameNode {
  name: string;
  file: string;
  line: number;
  /** Accesses through this frame (the node's width). */
  value: number;
  /** Of those, reads that found nothing. */
  unset: number;
  /** Accesses per key through this frame (keyless ops count under their op name). */
  keys: Record<string, number>;
  children: FlameNode[];
}

/** One distinct path: frames root first, then the leaf, and its count. */
export interface FlamePath {
  frames: Frame[];
  count: number;
  unset: number;
  key: string;
}

/** Compiles a filter into a predicate on events. */
export function flamePredicate(f: FlameFilter): (e: RunEvent) => boolean {
  const keys = f.keys?.length ? new Set(f.keys) : null;
  const ops = f.ops?.length ? new Set(f.ops.flatMap((o) => OP_GROUPS[o] ?? [o])) : null;
  const pids = f.pids?.length ? new Set(f.pids) : null;
  const tests = f.tests?.length ? f.tests : null;
  return (e) => {
    if (keys && (e.key === undefined || !keys.has(e.key))) return false;
    if (ops && !ops.has(e.op)) return false;
    if (pids && !pids.has(e.pid)) return false;
    if (f.unsetOnly && (e.op !== 'getenv' || e.found)) return false;
    if (tests) {
      const t = e.test;
      if (t === undefined || !tests.some((n) => t === n || t.startsWith(n + '/'))) return false;
    }
    return true;
  };
}

interface Cell {
  stack: string | null;
  api: string;
  op: Op;
  key: string;
  count: number;
  unset: number;
}

/** A RunVisitor that counts the accesses a filter lets through, per stack, op and key. */
export class FlameCollector implements RunVisitor {
  readonly stacks = new Map<string, Frame[]>();
  /** By stack (or API, for stackless reads), then op and key: no string built per event. */
  private readonly cells = new Map<string, Map<string, Map<string, Cell>>>();
  private readonly list: Cell[] = [];
  private readonly accept: (e: RunEvent) => boolean;
  total = 0;
  /** What the filter can choose from: every key, pid and test of the run, filtered or not. */
  readonly seen = { keys: new Set<string>(), pids: new Set<number>(), tests: new Set<string>() };

  constructor(filter: FlameFilter = {}) {
    this.accept = flamePredicate(filter);
  }

  stack(id: string, frames: Frame[]): void {
    this.stacks.set(id, frames);
  }

  event(e: RunEvent): void {
    if (e.key !== undefined) this.seen.keys.add(e.key);
    this.seen.pids.add(e.pid);
    if (e.test !== undefined) this.seen.tests.add(e.test);
    if (!this.accept(e)) return;
    const key = e.key ?? '';
    const where = e.stack ?? '\0' + e.api;
    let byOp = this.cells.get(where);
    if (!byOp) this.cells.set(where, (byOp = new Map()));
    let byKey = byOp.get(e.op);
    if (!byKey) byOp.set(e.op, (byKey = new Map()));
    let c = byKey.get(key);
    if (!c) {
      c = { stack: e.stack, api: e.api, op: e.op, key, count: 0, unset: 0 };
      byKey.set(key, c);
      this.list.push(c);
    }
    c.count += e.weight;
    this.total += e.weight;
    if (e.op === 'getenv' && !e.found) c.unset += e.weight;
  }

  /** The distinct paths, root first, heaviest first. */
  paths(): FlamePath[] {
    const out: FlamePath[] = [];
    for (const c of this.list) {
      const stack = c.stack === null ? undefined : this.stacks.get(c.stack);
      const frames = stack ? [...stack].reverse() : [{ function: c.api, file: '', line: 0 }];
      frames.push({ function: c.key ? `${c.op} ${c.key}` : c.op, file: '', line: 0 });
      out.push({ frames, count: c.count, unset: c.unset, key: c.key || c.op });
    }
    return out.sort((a, b) => b.count - a.count);
  }

  /** The aggregated tree; the root is named `name` and holds every counted access. */
  tree(name = 'all'): FlameNode {
    const root = node(name, '', 0);
    // Children by function and file while building (frames merge by function, as flame graphs do).
    const index = new Map<FlameNode, Map<string, FlameNode>>();
    for (const p of this.paths()) {
      addTo(root, p);
      let at = root;
      for (const f of p.frames) {
        let byName = index.get(at);
        if (!byName) index.set(at, (byName = new Map()));
        const id = `${f.function}\0${f.file}`;
        let child = byName.get(id);
        // The link goes to the line of the heaviest path (paths come heaviest first).
        if (!child) {
          child = node(f.function, f.file, f.line);
          at.children.push(child);
          byName.set(id, child);
        }
        addTo(child, p);
        at = child;
      }
    }
    trim(root);
    return root;
  }
}

/** Keys kept per node (the heaviest); the rest are summed under `…`, so the tree stays small with thousands of keys. */
export const MAX_NODE_KEYS = 16;
/** Access leaves kept per frame; the lighter ones merge into one `<op> (N more keys)` leaf per op. */
export const MAX_LEAVES = 24;

function trim(n: FlameNode): void {
  const entries = Object.entries(n.keys);
  if (entries.length > MAX_NODE_KEYS) {
    entries.sort((a, b) => b[1] - a[1]);
    const rest = entries.slice(MAX_NODE_KEYS - 1).reduce((s, [, c]) => s + c, 0);
    n.keys = Object.fromEntries([...entries.slice(0, MAX_NODE_KEYS - 1), [`… ${entries.length - MAX_NODE_KEYS + 1} more`, rest]]);
  }
  const leaves = n.children.filter((c) => c.file === '' && c.children.length === 0);
  if (leaves.length > MAX_LEAVES) {
    leaves.sort((a, b) => b.value - a.value);
    const drop = new Set(leaves.slice(MAX_LEAVES - 1));
    const merged = new Map<string, FlameNode>();
    for (const l of drop) {
      const op = l.name.split(' ')[0];
      let m = merged.get(op);
      if (!m) merged.set(op, (m = { ...node(op, '', 0), name: op }));
      m.value += l.value;
      m.unset += l.unset;
      for (const [k, c] of Object.entries(l.keys)) m.keys[k] = (m.keys[k] ?? 0) + c;
    }
    for (const [op, m] of merged) m.name = `${op} (${Object.keys(m.keys).length} more keys)`;
    n.children = [...n.children.filter((c) => !drop.has(c)), ...merged.values()];
  }
  n.children.forEach(trim);
}

function node(name: string, file: string, line: number): FlameNode {
  return { name, file, line, value: 0, unset: 0, keys: {}, children: [] };
}

function addTo(n: FlameNode, p: FlamePath): void {
  n.value += p.count;
  n.unset += p.unset;
  n.keys[p.key] = (n.keys[p.key] ?? 0) + p.count;
}

/** Reads a stored run into a flame collector. */
export async function collectFlame(run: StoredRun, filter: FlameFilter = {}): Promise<{ flame: FlameCollector; stats: ReadStats }> {
  const flame = new FlameCollector(filter);
  const stats = await readRun(run.dir, flame, readOptionsFor(run));
  return { flame, stats };
}
