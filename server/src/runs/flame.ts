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
import { flameTree, type FlameCell, type FlameNode } from './flameTree';

export { MAX_LEAVES, MAX_NODE_KEYS, OPS, type FlameNode } from './flameTree';

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


/** A RunVisitor that counts the accesses a filter lets through, per stack, op and key. */
export class FlameCollector implements RunVisitor {
  readonly stacks = new Map<string, Frame[]>();
  /** By stack (or API, for stackless reads), then op and key: no string built per event. */
  private readonly cells = new Map<string, Map<string, Map<string, FlameCell>>>();
  private readonly list: FlameCell[] = [];
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
    this.addCell(e.stack, e.api, e.op, e.key ?? '', e.weight, e.op === 'getenv' && !e.found ? e.weight : 0);
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

  /** Adds the cell of a (stack, op, key) not counted before (FlameIndex counts each once): no lookup. */
  addNewCell(c: FlameCell): void {
    this.list.push(c);
    this.total += c.count;
  }

  /** The aggregated tree; the root is named `name` and holds every counted access. */
  tree(name = 'all'): FlameNode {
    return flameTree(this.list, (c) => this.framesOf(c), name);
  }

  /** The frames of a cell's stack, root first (the API alone for stackless reads), without the leaf. */
  private framesOf(c: FlameCell): Frame[] {
    const stack = c.stack === null ? undefined : this.stacks.get(c.stack);
    return stack ? [...stack].reverse() : [{ function: c.api, file: '', line: 0 }];
  }
}

/** Reads a stored run into a flame collector. */
export async function collectFlame(run: StoredRun, filter: FlameFilter = {}): Promise<{ flame: FlameCollector; stats: ReadStats }> {
  const flame = new FlameCollector(filter);
  const stats = await readRun(run.dir, flame, readOptionsFor(run));
  return { flame, stats };
}
