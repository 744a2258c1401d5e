/**
 * The flame graph's tree from counted cells (stack, op, key → accesses): frames merged by
 * function and file, root first, the access (`getenv PORT`) as the leaf. A run can hold a
 * million cells, so each distinct stack is walked once, keys and leaves are summed as small
 * integers in scratch arrays, and only the nodes kept (the heaviest keys and leaves of each
 * frame, the rest merged) are ever built.
 */
import type { Frame } from './frames';
import type { Op } from './records';
import { Table } from './columns';

/** One node of the graph. `file`/`line` are empty/0 for the leaf and synthetic frames; `line` is the heaviest stack's. */
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

/** Accesses of one stack (or stackless API), op and key. */
export interface FlameCell {
  stack: string | null;
  api: string;
  op: Op;
  key: string;
  count: number;
  unset: number;
}

/** Keys kept per node (the heaviest); the rest are summed under `…`, so the tree stays small with thousands of keys. */
export const MAX_NODE_KEYS = 16;
/** Access leaves kept per frame; the lighter ones merge into one `<op> (N more keys)` leaf per op. */
export const MAX_LEAVES = 24;

/** Every op, in a fixed order. */
export const OPS: Op[] = ['getenv', 'setenv', 'unsetenv', 'clearenv', 'environ', 'spawn', 'exec'];
const OP_ID = new Map<string, number>(OPS.map((o, i) => [o, i]));

/** The accesses of one distinct stack as integer columns: per cell its key id (a name in the key table), leaf id, count and unset reads. */
export interface StackCells {
  /** Frames root first, without the leaf. */
  frames: Frame[];
  keyIds: Int32Array;
  /** (keyId * OPS.length + op) * 2 + (1 when keyed; keyless ops have their op's name as key). */
  leafIds: Int32Array;
  counts: Float64Array;
  unsets: Float64Array;
}

/** The leaf id of an access: its key id, op and whether it has a key. */
export function leafId(keyId: number, op: Op, keyed: boolean): number {
  return (keyId * OPS.length + OP_ID.get(op)!) * 2 + (keyed ? 1 : 0);
}

/** The tree of `cells`; `framesOf` gives a cell's frames root first (without the leaf). */
export function flameTree(cells: readonly FlameCell[], framesOf: (c: FlameCell) => Frame[], name: string): FlameNode {
  const byWhere = new Map<string, FlameCell[]>();
  for (const c of cells) push(byWhere, c.stack ?? '\0' + c.api, c);
  const keys = new Table();
  const stacks = [...byWhere.values()].map((list): StackCells => {
    const n = list.length;
    const s = { frames: framesOf(list[0]), keyIds: new Int32Array(n), leafIds: new Int32Array(n), counts: new Float64Array(n), unsets: new Float64Array(n) };
    list.forEach((c, j) => {
      const k = keys.id(c.key || c.op);
      s.keyIds[j] = k;
      s.leafIds[j] = leafId(k, c.op, c.key !== '');
      s.counts[j] = c.count;
      s.unsets[j] = c.unset;
    });
    return s;
  });
  return flameTreeOf(stacks, keys.list, name);
}

/** A stack placed in the tree: its frame nodes (root first) and its weight. */
interface Through {
  cells: StackCells;
  path: FlameNode[];
  value: number;
  unset: number;
}

/** The tree of stacks given as integer columns over the key names `keyNames`. */
export function flameTreeOf(stacks: readonly StackCells[], keyNames: string[], name: string): FlameNode {
  const root = node(name, '', 0);
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  // Heaviest stack first: a merged frame links to the line of its heaviest stack.
  const wheres: Through[] = stacks.map((cells) => ({ cells, path: [root], value: sum(cells.counts), unset: sum(cells.unsets) })).sort((a, b) => b.value - a.value);
  const index = new Map<FlameNode, Map<string, FlameNode>>();
  const through = new Map<FlameNode, Through[]>();
  const endingAt = new Map<FlameNode, Through[]>();
  for (const w of wheres) {
    let at = root;
    for (const f of w.cells.frames) {
      let byName = index.get(at);
      if (!byName) index.set(at, (byName = new Map()));
      const id = `${f.function}\0${f.file}`;
      let child = byName.get(id);
      if (!child) {
        child = node(f.function, f.file, f.line);
        at.children.push(child);
        byName.set(id, child);
      }
      w.path.push((at = child));
    }
    for (const n of w.path) {
      n.value += w.value;
      n.unset += w.unset;
      push(through, n, w);
    }
    push(endingAt, at, w);
  }
  const sums = new Scratch(keyNames.length);
  for (const [n, list] of through) {
    for (const w of list) sums.addAll(w.cells.keyIds, w.cells.counts, w.cells.unsets);
    n.keys = topKeys(sums.touched, (k) => sums.counts[k], (k) => keyNames[k]);
    sums.clear();
  }
  const leaves = new Scratch(keyNames.length * OPS.length * 2);
  for (const [tip, list] of endingAt) {
    for (const w of list) leaves.addAll(w.cells.leafIds, w.cells.counts, w.cells.unsets);
    tip.children.push(...leafNodes(leaves, keyNames));
    leaves.clear();
  }
  return root;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Sums by small integer id, read through `touched` and then cleared. */
class Scratch {
  readonly counts: Float64Array;
  readonly unsets: Float64Array;
  /** The ids summed since the last clear, in first-seen order. */
  touched: number[] = [];
  constructor(size: number) {
    this.counts = new Float64Array(size);
    this.unsets = new Float64Array(size);
  }
  addAll(ids: Int32Array, counts: Float64Array, unsets: Float64Array): void {
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j];
      if (this.counts[id] === 0) this.touched.push(id);
      this.counts[id] += counts[j];
      this.unsets[id] += unsets[j];
    }
  }
  clear(): void {
    for (const id of this.touched) this.counts[id] = this.unsets[id] = 0;
    this.touched = [];
  }
}

/** The access leaves of one frame: the heaviest MAX_LEAVES - 1 and, beyond MAX_LEAVES, one merged `<op> (N more keys)` per op. */
function leafNodes(sums: Scratch, keyNames: string[]): FlameNode[] {
  // id = (key * OPS.length + op) * 2 + (keyed ? 1 : 0)
  const keyOf = (id: number) => keyNames[Math.floor(id / 2 / OPS.length)];
  const opOf = (id: number) => OPS[Math.floor(id / 2) % OPS.length];
  const countOf = (id: number) => sums.counts[id];
  const leaf = (id: number): FlameNode => {
    const key = keyOf(id);
    return { ...node(id % 2 ? `${opOf(id)} ${key}` : opOf(id), '', 0), value: sums.counts[id], unset: sums.unsets[id], keys: { [key]: sums.counts[id] } };
  };
  const ids = sums.touched;
  if (ids.length <= MAX_LEAVES) return ids.map(leaf);
  const kept = heaviest(ids, countOf, MAX_LEAVES - 1);
  const keep = new Set(kept);
  const merged = new Map<Op, { m: FlameNode; ids: number[] }>();
  for (const id of ids) {
    if (keep.has(id)) continue;
    const op = opOf(id);
    let into = merged.get(op);
    if (!into) merged.set(op, (into = { m: node(op, '', 0), ids: [] }));
    into.m.value += sums.counts[id];
    into.m.unset += sums.unsets[id];
    into.ids.push(id);
  }
  for (const [op, { m, ids: rest }] of merged) {
    m.name = `${op} (${rest.length} more keys)`;
    m.keys = topKeys(rest, countOf, keyOf);
  }
  return [...kept.map(leaf), ...[...merged.values()].map((x) => x.m)];
}

/** The `n` ids of largest `value`, largest first (on a tie, the earlier id first); no sort of all of them. */
function heaviest(ids: readonly number[], value: (id: number) => number, n: number): number[] {
  const top: number[] = [];
  for (const id of ids) {
    const v = value(id);
    if (top.length === n && v <= value(top[n - 1])) continue;
    let at = top.length === n ? n - 1 : top.length;
    while (at > 0 && value(top[at - 1]) < v) {
      top[at] = top[at - 1];
      at--;
    }
    top[at] = id;
  }
  return top;
}

/** The heaviest MAX_NODE_KEYS - 1 keys and the rest summed under `… N more` (all of them when they fit). */
function topKeys(ids: readonly number[], count: (id: number) => number, name: (id: number) => string): Record<string, number> {
  if (ids.length <= MAX_NODE_KEYS) return Object.fromEntries(ids.map((k) => [name(k), count(k)]));
  const top = heaviest(ids, count, MAX_NODE_KEYS - 1);
  const rest = ids.reduce((s, k) => s + count(k), 0) - top.reduce((s, k) => s + count(k), 0);
  return Object.fromEntries([...top.map((k) => [name(k), count(k)]), [`… ${ids.length - MAX_NODE_KEYS + 1} more`, rest]]);
}

function node(name: string, file: string, line: number): FlameNode {
  return { name, file, line, value: 0, unset: 0, keys: {}, children: [] };
}
