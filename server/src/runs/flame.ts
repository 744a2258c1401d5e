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

/** Every op, in a fixed order. */
export const OPS: Op[] = ['getenv', 'setenv', 'unsetenv', 'clearenv', 'environ', 'spawn', 'exec'];

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

/** What the flame graph view draws: the aggregated tree and what the filters can choose from. */
export interface FlameResult {
  tree: FlameNode;
  total: number;
  keys: string[];
  pids: number[];
  tests: string[];
}

/** One distinct path: frames root first, then the leaf, and its count. */
export interface FlamePath {
  frames: Frame[];
  count: number;
  unset: number;
  key: string;
}

/** The raw ops that op names and groups stand for. */
export function flameOps(ops: string[]): string[] {
  return ops.flatMap((o) => OP_GROUPS[o] ?? [o]);
}

/** Compiles a filter into a predicate on events. */
export function flamePredicate(f: FlameFilter): (e: RunEvent) => boolean {
  const keys = f.keys?.length ? new Set(f.keys) : null;
  const ops = f.ops?.length ? new Set(flameOps(f.ops)) : null;
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

/** A distinct stack in the tree: its frame nodes (root first) and its accesses by key id. */
interface Through {
  path: FlameNode[];
  keyIds: number[];
  counts: number[];
  value: number;
  unset: number;
}

/** An access leaf (`getenv PORT`) of one frame, before it becomes a node. */
interface Leaf {
  name: string;
  op: Op;
  key: string;
  value: number;
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
    this.addCell(e.stack, e.api, e.op, e.key ?? '', 1, e.op === 'getenv' && !e.found ? 1 : 0);
  }

  /** The distinct paths, root first, heaviest first. */
  paths(): FlamePath[] {
    const out: FlamePath[] = [];
    for (const c of this.list) {
      const frames = this.framesOf(c);
      frames.push({ function: c.key ? `${c.op} ${c.key}` : c.op, file: '', line: 0 });
      out.push({ frames, count: c.count, unset: c.unset, key: c.key || c.op });
    }
    return out.sort((a, b) => b.count - a.count);
  }

  /** Adds `count` accesses (of which `unset` found nothing) of one stack (or stackless API), op and key. */
  addCell(stack: string | null, api: string, op: Op, key: string, count: number, unset: number): void {
    const where = stack ?? '\0' + api;
    let byOp = this.cells.get(where);
    if (!byOp) this.cells.set(where, (byOp = new Map()));
    let byKey = byOp.get(op);
    if (!byKey) byOp.set(op, (byKey = new Map()));
    let c = byKey.get(key);
    if (!c) {
      c = { stack, api, op, key, count: 0, unset: 0 };
      byKey.set(key, c);
      this.list.push(c);
    }
    c.count += count;
    c.unset += unset;
    this.total += count;
  }

  /** The aggregated tree; the root is named `name` and holds every counted access. */
  tree(name = 'all'): FlameNode {
    const root = node(name, '', 0);
    // Children by function and file while building (frames merge by function, as flame graphs do).
    const index = new Map<FlameNode, Map<string, FlameNode>>();
    const childOf = (at: FlameNode, f: Frame): FlameNode => {
      let byName = index.get(at);
      if (!byName) index.set(at, (byName = new Map()));
      const id = `${f.function}\0${f.file}`;
      let child = byName.get(id);
      // The link goes to the line of the heaviest path (cells come heaviest first).
      if (!child) {
        child = node(f.function, f.file, f.line);
        at.children.push(child);
        byName.set(id, child);
      }
      return child;
    };
    // NOTE: a run can hold a million (stack, key) cells. Each distinct stack is walked once;
    // keys are summed as small integers in a scratch array, and only the leaves kept become nodes.
    const keys = new Map<string, number>();
    const keyNames: string[] = [];
    const byWhere = new Map<string, Through>();
    const leavesAt = new Map<FlameNode, Map<number, Leaf>>();
    for (const c of [...this.list].sort((a, b) => b.count - a.count)) {
      const where = c.stack ?? '\0' + c.api;
      let w = byWhere.get(where);
      if (!w) {
        const path = [root];
        for (const f of this.framesOf(c)) path.push(childOf(path[path.length - 1], f));
        byWhere.set(where, (w = { path, keyIds: [], counts: [], value: 0, unset: 0 }));
      }
      const key = c.key || c.op;
      let k = keys.get(key);
      if (k === undefined) keys.set(key, (k = keyNames.push(key) - 1));
      w.keyIds.push(k);
      w.counts.push(c.count);
      w.value += c.count;
      w.unset += c.unset;
      const tip = w.path[w.path.length - 1];
      let leaves = leavesAt.get(tip);
      if (!leaves) leavesAt.set(tip, (leaves = new Map()));
      const leafId = k * OPS.length + OPS.indexOf(c.op);
      let leaf = leaves.get(leafId);
      if (!leaf) leaves.set(leafId, (leaf = { name: c.key ? `${c.op} ${c.key}` : c.op, op: c.op, key, value: 0, unset: 0 }));
      leaf.value += c.count;
      leaf.unset += c.unset;
    }
    const through = new Map<FlameNode, Through[]>();
    for (const w of byWhere.values()) {
      for (const n of w.path) {
        n.value += w.value;
        n.unset += w.unset;
        const list = through.get(n);
        if (list) list.push(w);
        else through.set(n, [w]);
      }
    }
    const scratch = new Float64Array(keyNames.length);
    for (const [n, list] of through) {
      const touched: number[] = [];
      for (const w of list) {
        for (let j = 0; j < w.keyIds.length; j++) {
          const k = w.keyIds[j];
          if (scratch[k] === 0) touched.push(k);
          scratch[k] += w.counts[j];
        }
      }
      n.keys = topKeys(new Map(touched.map((k) => [keyNames[k], scratch[k]])));
      for (const k of touched) scratch[k] = 0;
    }
    for (const [tip, leaves] of leavesAt) tip.children.push(...leafNodes([...leaves.values()]));
    return root;
  }

  /** The frames of a cell's stack, root first (the API alone for stackless reads), without the leaf. */
  private framesOf(c: Cell): Frame[] {
    const stack = c.stack === null ? undefined : this.stacks.get(c.stack);
    return stack ? [...stack].reverse() : [{ function: c.api, file: '', line: 0 }];
  }
}

/** Keys kept per node (the heaviest); the rest are summed under `…`, so the tree stays small with thousands of keys. */
export const MAX_NODE_KEYS = 16;
/** Access leaves kept per frame; the lighter ones merge into one `<op> (N more keys)` leaf per op. */
export const MAX_LEAVES = 24;

/** The access leaves of one frame: the heaviest MAX_LEAVES - 1 and, beyond MAX_LEAVES, one merged `<op> (N more keys)` per op. */
function leafNodes(leaves: Leaf[]): FlameNode[] {
  const nodeOf = (l: Leaf) => ({ ...node(l.name, '', 0), value: l.value, unset: l.unset, keys: { [l.key]: l.value } });
  if (leaves.length <= MAX_LEAVES) return leaves.map(nodeOf);
  leaves.sort((a, b) => b.value - a.value);
  const merged = new Map<string, { m: FlameNode; keys: Map<string, number> }>();
  for (const l of leaves.slice(MAX_LEAVES - 1)) {
    let into = merged.get(l.op);
    if (!into) merged.set(l.op, (into = { m: node(l.op, '', 0), keys: new Map() }));
    into.m.value += l.value;
    into.m.unset += l.unset;
    into.keys.set(l.key, (into.keys.get(l.key) ?? 0) + l.value);
  }
  for (const [op, { m, keys }] of merged) {
    m.name = `${op} (${keys.size} more keys)`;
    m.keys = topKeys(keys);
  }
  return [...leaves.slice(0, MAX_LEAVES - 1).map(nodeOf), ...[...merged.values()].map((x) => x.m)];
}

/** The heaviest MAX_NODE_KEYS - 1 keys and the rest summed under `… N more` (all of them when they fit). */
function topKeys(keys: Map<string, number>): Record<string, number> {
  const entries = [...keys];
  if (entries.length <= MAX_NODE_KEYS) return Object.fromEntries(entries);
  entries.sort((a, b) => b[1] - a[1]);
  const rest = entries.slice(MAX_NODE_KEYS - 1).reduce((s, [, c]) => s + c, 0);
  return Object.fromEntries([...entries.slice(0, MAX_NODE_KEYS - 1), [`… ${entries.length - MAX_NODE_KEYS + 1} more`, rest]]);
}

function node(name: string, file: string, line: number): FlameNode {
  return { name, file, line, value: 0, unset: 0, keys: {}, children: [] };
}


/** Reads a stored run into a flame collector. */
export async function collectFlame(run: StoredRun, filter: FlameFilter = {}): Promise<{ flame: FlameCollector; stats: ReadStats }> {
  const flame = new FlameCollector(filter);
  const stats = await readRun(run.dir, flame, readOptionsFor(run));
  return { flame, stats };
}
