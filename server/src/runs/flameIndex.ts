/**
 * A run's accesses as compact columns (17 bytes an event), so the flame graph can be cut
 * again for any filter (key, op, process, test, unset-only) without reading the run again:
 * a filter is one loop over typed arrays into a FlameCollector's cells.
 */
import type { Frame } from './frames';
import type { RunEvent } from './readerTypes';
import { grown, Table } from './columns';
import { FlameCollector, flameOps, OPS, type FlameFilter, type FlameResult } from './flame';
import { flameTreeOf, leafId, type StackCells } from './flameTree';

const OP_ID = new Map<string, number>(OPS.map((o, i) => [o, i]));

/** Up to this many possible (stack, op, key) cells, counts go to flat arrays (8 bytes a cell). */
const DENSE_CELLS = 1 << 22;

interface Counts {
  /** Adds `weight` accesses to cell `id`, `unset` (0 or 1) saying whether they found the key unset. */
  add(id: number, unset: number, weight: number): void;
  forEach(f: (id: number, count: number, unset: number) => void): void;
  /** The ids counted, in no order. */
  ids(): Float64Array;
  count(id: number): number;
  unset(id: number): number;
}

class DenseCounts implements Counts {
  private readonly counts: Uint32Array;
  private readonly unsets: Uint32Array;
  private readonly used: number[] = [];
  constructor(space: number) {
    this.counts = new Uint32Array(space);
    this.unsets = new Uint32Array(space);
  }
  add(id: number, unset: number): void {
    if (this.counts[id]++ === 0) this.used.push(id);
    this.unsets[id] += unset;
  }
  // Dense cells count one access per event: a run with weights (imported aggregates) counts in maps.
  forEach(f: (id: number, count: number, unset: number) => void): void {
    for (const id of this.used) f(id, this.counts[id], this.unsets[id]);
  }
  ids(): Float64Array {
    return Float64Array.from(this.used);
  }
  count(id: number): number {
    return this.counts[id];
  }
  unset(id: number): number {
    return this.unsets[id];
  }
}

class SparseCounts implements Counts {
  private readonly counts = new Map<number, number>();
  private readonly unsets = new Map<number, number>();
  add(id: number, unset: number, weight: number): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + weight);
    if (unset) this.unsets.set(id, (this.unsets.get(id) ?? 0) + weight);
  }
  forEach(f: (id: number, count: number, unset: number) => void): void {
    for (const [id, count] of this.counts) f(id, count, this.unsets.get(id) ?? 0);
  }
  ids(): Float64Array {
    return Float64Array.from(this.counts.keys());
  }
  count(id: number): number {
    return this.counts.get(id) ?? 0;
  }
  unset(id: number): number {
    return this.unsets.get(id) ?? 0;
  }
}

/** One streaming pass's worth of flame data: every access, by stack, op, key, pid and test. */
export class FlameIndex {
  readonly stacks = new Map<string, Frame[]>();
  n = 0;
  /** Index into `wheres`: the stack, or the API for stackless accesses. */
  private where = new Int32Array(1024);
  private op = new Uint8Array(1024);
  /** Index into `keys`, -1 for keyless ops. */
  private key = new Int32Array(1024);
  private pid = new Int32Array(1024);
  /** Index into `tests`, -1 outside tests. */
  private test = new Int32Array(1024);
  /** 1 for a getenv that found nothing. */
  private unset = new Uint8Array(1024);
  /** Accesses each event stands for; only once an event of an imported aggregate stands for more than one. */
  private weight: Float64Array | null = null;
  private readonly wheres = new Table();
  private readonly whereOf: { stack: string | null; api: string }[] = [];

  private readonly tests = new Table();
  private readonly pids = new Set<number>();

  /** Keys are numbered in `keys`, which a timeline built in the same pass may share. */
  constructor(private readonly keys = new Table()) {}

  stack(id: string, frames: Frame[]): void {
    this.stacks.set(id, frames);
  }

  /** Adds an access; `keyId` is its key's number in the shared table, when the caller has it already. */
  add(e: RunEvent, keyId = e.key === undefined ? -1 : this.keys.id(e.key)): void {
    if (this.n === this.where.length) {
      this.where = grown(this.where);
      this.op = grown(this.op);
      this.key = grown(this.key);
      this.pid = grown(this.pid);
      this.test = grown(this.test);
      this.unset = grown(this.unset);
      if (this.weight) this.weight = grown(this.weight);
    }
    const i = this.n++;
    if (e.weight !== 1 && !this.weight) this.weight = new Float64Array(this.where.length).fill(1);
    if (this.weight) this.weight[i] = e.weight;
    const at = e.stack ?? '\0' + e.api;
    const w = this.wheres.id(at);
    if (w === this.whereOf.length) this.whereOf.push({ stack: e.stack, api: e.api });
    this.where[i] = w;
    this.op[i] = OP_ID.get(e.op)!;
    this.key[i] = keyId;
    this.pid[i] = e.pid;
    this.pids.add(e.pid);
    this.test[i] = e.test === undefined ? -1 : this.tests.id(e.test);
    this.unset[i] = e.op === 'getenv' && !e.found ? 1 : 0;
  }

  /** The flame graph of the accesses `filter` lets through, as a collector (as collectFlame would count them). */
  collect(filter: FlameFilter = {}): FlameCollector {
    const out = new FlameCollector(filter);
    for (const [id, frames] of this.stacks) out.stack(id, frames);
    this.fillSeen(out.seen);
    const { cells, width } = this.count(filter);
    cells.forEach((id, count, unsets) => {
      const k = (id % width) - 1;
      const rest = Math.floor(id / width);
      const w = this.whereOf[Math.floor(rest / OPS.length)];
      out.addNewCell({ stack: w.stack, api: w.api, op: OPS[rest % OPS.length], key: k < 0 ? '' : this.keys.list[k], count, unset: unsets });
    });
    return out;
  }

  /** The flame graph view's data for `filter`, straight from the counts (no object per cell). */
  result(filter: FlameFilter = {}): FlameResult {
    const seen = { keys: new Set<string>(), pids: new Set<number>(), tests: new Set<string>() };
    this.fillSeen(seen);
    const { cells, width } = this.count(filter);
    // Key names: the run's keys, then the ops (keyless accesses count under their op's name).
    const nKeys = this.keys.list.length;
    const keyNames = [...this.keys.list, ...OPS];
    // Ids ascending group the cells by stack (the id's most significant part).
    const ids = cells.ids().sort();
    const stacks: StackCells[] = [];
    let total = 0;
    for (let from = 0; from < ids.length; ) {
      const where = Math.floor(ids[from] / width / OPS.length);
      let to = from;
      while (to < ids.length && Math.floor(ids[to] / width / OPS.length) === where) to++;
      const n = to - from;
      const s: StackCells = { frames: this.framesOf(where), keyIds: new Int32Array(n), leafIds: new Int32Array(n), counts: new Float64Array(n), unsets: new Float64Array(n) };
      for (let j = 0; j < n; j++) {
        const id = ids[from + j];
        const k = (id % width) - 1;
        const op = Math.floor(id / width) % OPS.length;
        const keyId = k < 0 ? nKeys + op : k;
        s.keyIds[j] = keyId;
        s.leafIds[j] = leafId(keyId, OPS[op], k >= 0);
        s.counts[j] = cells.count(id);
        s.unsets[j] = cells.unset(id);
        total += s.counts[j];
      }
      stacks.push(s);
      from = to;
    }
    const sorted = <T>(x: Set<T>) => [...x].sort();
    return { tree: flameTreeOf(stacks, keyNames, 'all'), total, keys: sorted(seen.keys), pids: [...seen.pids].sort((a, b) => a - b), tests: sorted(seen.tests) };
  }

  /** The frames of a stack (or stackless API), root first. */
  private framesOf(where: number): Frame[] {
    const w = this.whereOf[where];
    const stack = w.stack === null ? undefined : this.stacks.get(w.stack);
    return stack ? [...stack].reverse() : [{ function: w.api, file: '', line: 0 }];
  }

  private fillSeen(seen: FlameCollector['seen']): void {
    this.keys.list.forEach((k) => seen.keys.add(k));
    this.pids.forEach((p) => seen.pids.add(p));
    this.tests.list.forEach((t) => seen.tests.add(t));
  }

  /** Counts per (stack, op, key) as one number, `(where * OPS.length + op) * width + key + 1`, of the accesses `filter` lets through. */
  private count(filter: FlameFilter): { cells: Counts; width: number } {
    const keyOk = this.mask(this.keys.list, filter.keys?.length ? (k) => filter.keys!.includes(k) : null);
    const ops = filter.ops?.length ? new Set(flameOps(filter.ops)) : null;
    const opOk = Uint8Array.from(OPS, (o) => (!ops || ops.has(o) ? 1 : 0));
    const tests = filter.tests?.length ? filter.tests : null;
    const testOk = this.mask(this.tests.list, tests && ((t) => tests.some((n) => t === n || t.startsWith(n + '/'))));
    const pids = filter.pids?.length ? new Set(filter.pids) : null;
    const unsetOnly = filter.unsetOnly === true;
    const keyless = !filter.keys?.length;
    const outside = !tests;
    // In flat arrays while the space is small (the usual case, no hashing per event), else in maps.
    const width = this.keys.list.length + 1;
    const space = this.wheres.list.length * OPS.length * width;
    const { where, op, key, pid, test, unset, weight } = this;
    const cells = space <= DENSE_CELLS && !weight ? new DenseCounts(space) : new SparseCounts();
    for (let i = 0; i < this.n; i++) {
      const k = key[i];
      if (!opOk[op[i]] || (k < 0 ? !keyless : !keyOk[k])) continue;
      const t = test[i];
      if (t < 0 ? !outside : !testOk[t]) continue;
      if ((unsetOnly && !unset[i]) || (pids && !pids.has(pid[i]))) continue;
      cells.add((where[i] * OPS.length + op[i]) * width + k + 1, unset[i], weight ? weight[i] : 1);
    }
    return { cells, width };
  }

  /** 1 per entry of `list` that `ok` accepts (every entry when `ok` is null). */
  private mask(list: string[], ok: ((s: string) => boolean) | null): Uint8Array {
    return Uint8Array.from(list, (s) => (!ok || ok(s) ? 1 : 0));
  }
}
