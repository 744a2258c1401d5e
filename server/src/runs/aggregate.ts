/**
 * Aggregation of a streamed run: processes, stacks, per-key figures (the report's `vars`),
 * the distinct (site, op, key, value) lines of the text trace, and races. Holds no events.
 */
import { RaceCollector } from '../analysis/races';
import { type Frame, userAccess } from './frames';
import { KeyCounter } from './keyCount';
import type { ProcessInfo, ReadStats, RunEvent, RunVisitor } from './reader';
import type { GoroutineMark, Op } from './records';
import type { ReportRace, ReportValue, ReportVar } from './report';

/** Distinct values kept per key and per trace line before the rest is only counted. */
const MAX_VALUES = 1000;
const MAX_LINE_VALUES = 20;

/** One line of the text trace: a distinct (site, op, key, value) with its count. */
export interface TraceLine {
  op: Op;
  api: string;
  key: string | null;
  file: string | null;
  line: number | null;
  found: boolean;
  value?: string;
  hash?: string;
  length?: number;
  /** spawn/exec: the program started. */
  path?: string;
  /** Set on the line that stands for values beyond the per-site limit. */
  otherValues?: boolean;
  count: number;
  /** Order of first appearance. */
  first: number;
}

/** Counts of one value in a cell, and when it was first seen (for the trace's order). */
export interface ValueCount {
  count: number;
  first: number;
  /** The event's value/hash/length (the id alone does not say which). */
  value?: string;
  hash?: string;
  length?: number;
  found: boolean;
  path?: string;
}

/** The pid and goroutine id packed in a Cell's `goroutines` entry. */
export function goroutineOf(packed: number): { pid: number; goroutine: number } {
  return { pid: Math.floor(packed / 1e9), goroutine: packed % 1e9 };
}

/** Distinct goroutines and tests kept per cell before the rest is only counted. */
const MAX_CELL_GOROUTINES = 64;
const MAX_CELL_TESTS = 100;

/**
 * One (key, stack, op): a distinct way a key was accessed — the stack (so the user frame and
 * the API), with its values, processes, goroutines and tests. The unit the editor needs.
 */
export interface Cell {
  key: string | null;
  op: Op;
  api: string;
  /** Run-wide stack id, or null (runtime reads). */
  stack: string | null;
  /** First frame outside the standard library. */
  file: string | null;
  line: number | null;
  count: number;
  values: Map<string, ValueCount>;
  /** Events beyond the distinct values kept. */
  other: ValueCount | null;
  pids: Set<number>;
  /** pid × 1e9 + goroutine (see goroutineOf); at most 64 are kept (a full set means "64 or more"). */
  goroutines: Set<number>;
  tests: Set<string>;
  lastPid: number;
  lastG: number;
}

interface VarAcc {
  key: string;
  reads: number;
  writes: number;
  unsetReads: number;
  cells: Map<string, Cell>;
}

/** Totals shown in the summary. */
export interface Totals {
  events: number;
  reads: number;
  unsetReads: number;
  /** setenv + unsetenv events: the sum of the report's `vars[].writes`. */
  writes: number;
  /** Clearenv calls (no key: not a write of any one key). */
  clears: number;
  /** Keys the program read (runs/keyCount.ts: the one definition every count shown uses). */
  keysRead: number;
  /** Of those, keys found unset at least once. */
  unsetKeys: number;
  processes: number;
  races: number;
}

/**
 * A RunVisitor that keeps what the report and the text trace need: per key, one cell per
 * (stack, op) with its distinct values. Sites, values and trace lines are derived on demand.
 */
export class RunAggregate implements RunVisitor {
  readonly processes: ProcessInfo[] = [];
  readonly stacks = new Map<string, Frame[]>();
  private readonly vars = new Map<string, VarAcc>();
  /** Events without a key (environ, clearenv, spawn, exec). */
  private readonly keyless: VarAcc = { key: '', reads: 0, writes: 0, unsetReads: 0, cells: new Map() };
  /** The last cell of each stack id (cells with a stack are keyed by key, op and stack). */
  private readonly lastCells = new Map<string, Cell>();
  private readonly raceCollector = new RaceCollector();
  private readonly keyCounter = new KeyCounter();
  private raceCache: Map<string, ReportRace> | null = null;
  private events = 0;

  process(p: ProcessInfo): void {
    this.processes.push(p);
  }

  stack(id: string, frames: Frame[]): void {
    this.stacks.set(id, frames);
  }

  goroutine(pid: number, g: number, pg: number, start?: number): void {
    this.raceCollector.goroutine(pid, g, pg, start);
  }

  processEnd(p: ProcessInfo): void {
    this.raceCollector.processEnd(p.pid);
  }

  mark(pid: number, g: number, kind: GoroutineMark, at: number): void {
    this.raceCollector.mark(pid, g, kind, at);
  }

  event(e: RunEvent, p?: ProcessInfo): void {
    const order = this.events++;
    this.raceCache = null;
    this.raceCollector.add(e, p?.writtenKeys);
    const w = e.weight;
    let v: VarAcc;
    if (e.key === undefined) v = this.keyless;
    else {
      let found = this.vars.get(e.key);
      if (!found) this.vars.set(e.key, (found = { key: e.key, reads: 0, writes: 0, unsetReads: 0, cells: new Map() }));
      v = found;
      this.keyCounter.add(e.key, e.op, e.api, e.found);
      const kind = userAccess(e.op, e.api, e.user);
      if (kind === 'read') {
        v.reads += w;
        if (!e.found) v.unsetReads += w;
      } else if (kind === 'write') v.writes += w;
    }
    // Nearly every stack makes one (key, op): its last cell is checked before building an id.
    let cell = e.stack === null ? undefined : this.lastCells.get(e.stack);
    if (cell === undefined || cell.key !== (e.key ?? null) || cell.op !== e.op) cell = this.cellOf(v, e);
    cell.count += w;
    if (cell.lastPid !== e.pid || cell.lastG !== e.goroutine) {
      cell.lastPid = e.pid;
      cell.lastG = e.goroutine;
      cell.pids.add(e.pid);
      if (cell.goroutines.size < MAX_CELL_GOROUTINES) cell.goroutines.add(e.pid * 1e9 + e.goroutine);
    }
    if (e.test !== undefined && cell.tests.size < MAX_CELL_TESTS) cell.tests.add(e.test);
    const valueId = e.redacted ? '\0h' + e.hash : e.path !== undefined ? e.path : e.value !== undefined ? e.value : e.found ? '\0f' : '\0u';
    const known = cell.values.get(valueId);
    if (known) {
      known.count += w;
      return;
    }
    if (cell.values.size >= MAX_LINE_VALUES * 50) {
      if (cell.other) cell.other.count += w;
      else cell.other = { count: w, first: order, found: e.found };
      return;
    }
    const vc: ValueCount = { count: w, first: order, found: e.found };
    if (e.redacted) {
      vc.hash = e.hash;
      vc.length = e.length;
    } else if (e.value !== undefined) vc.value = e.value;
    if (e.path !== undefined) vc.path = e.path;
    cell.values.set(valueId, vc);
  }

  /** The cell of e's (key, stack, op) in v, made on first use. */
  private cellOf(v: VarAcc, e: RunEvent): Cell {
    const cellId = e.stack === null ? e.op + '\0' + e.api : e.op + '\0' + e.stack;
    let cell = v.cells.get(cellId);
    if (!cell) {
      cell = {
        key: e.key ?? null, op: e.op, api: e.api, stack: e.stack, file: e.user?.file ?? null, line: e.user?.line ?? null, count: 0,
        values: new Map(), other: null, pids: new Set(), goroutines: new Set(), tests: new Set(), lastPid: -1, lastG: -1,
      };
      v.cells.set(cellId, cell);
    }
    if (e.stack !== null) this.lastCells.set(e.stack, cell);
    return cell;
  }

  /** The text trace's lines in order of first appearance (cells of one site merged). */
  traceLines(): TraceLine[] {
    const lines = new Map<string, TraceLine>();
    const perSite = new Map<string, number>();
    const add = (v: VarAcc, c: Cell, vc: ValueCount, other: boolean) => {
      const site = `${c.file ?? ''}:${c.line ?? ''}\0${c.op}\0${c.api}\0${v.key}`;
      const valueId = other ? '\0other' : vc.hash !== undefined ? '\0h' + vc.hash : vc.path ?? vc.value ?? (vc.found ? '\0f' : '\0u');
      let id = `${site}\0${valueId}`;
      let line = lines.get(id);
      if (!line && !other) {
        const n = perSite.get(site) ?? 0;
        if (n >= MAX_LINE_VALUES) {
          id = `${site}\0\0other`;
          line = lines.get(id);
          other = true;
        } else perSite.set(site, n + 1);
      }
      if (line) {
        line.count += vc.count;
        line.first = Math.min(line.first, vc.first);
        return;
      }
      line = { op: c.op, api: c.api, key: v.key === '' ? null : v.key, file: c.file, line: c.line, found: vc.found, count: vc.count, first: vc.first };
      if (other) line.otherValues = true;
      else if (vc.hash !== undefined) {
        line.hash = vc.hash;
        line.length = vc.length;
      } else if (vc.value !== undefined) line.value = vc.value;
      if (vc.path !== undefined && !other) line.path = vc.path;
      lines.set(id, line);
    };
    for (const v of [...this.vars.values(), this.keyless]) {
      for (const c of v.cells.values()) {
        const sorted = [...c.values.values()].sort((a, b) => a.first - b.first);
        for (const vc of sorted) add(v, c, vc, false);
        if (c.other) add(v, c, c.other, true);
      }
    }
    return [...lines.values()].sort(traceOrder);
  }

  /** Every cell of the run: per key (null for keyless ops), stack and op. */
  *cells(): IterableIterator<Cell> {
    for (const v of this.vars.values()) yield* v.cells.values();
    yield* this.keyless.cells.values();
  }

  /** The cells of one key. */
  cellsOf(key: string): Cell[] {
    return [...(this.vars.get(key)?.cells.values() ?? [])];
  }

  /** Races per key. */
  races(): Map<string, ReportRace> {
    return (this.raceCache ??= this.raceCollector.races());
  }

  /** The report's `vars`, sorted by key. */
  reportVars(): ReportVar[] {
    const races = this.races();
    return [...this.vars.values()]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((v) => {
        const values = new Map<string, ReportValue>();
        const sites = new Map<string, { file: string; line: number; count: number }>();
        for (const c of v.cells.values()) {
          if (c.file !== null && c.line !== null) {
            const id = `${c.file}:${c.line}`;
            const site = sites.get(id);
            if (site) site.count += c.count;
            else sites.set(id, { file: c.file, line: c.line, count: c.count });
          }
          if (c.op !== 'setenv' && c.op !== 'getenv') continue;
          for (const vc of c.values.values()) {
            if (c.op === 'getenv' && !vc.found) continue;
            const id = vc.hash !== undefined ? '\0h' + vc.hash : vc.value ?? '';
            const known = values.get(id);
            if (known) known.count += vc.count;
            else if (values.size < MAX_VALUES) {
              values.set(id, vc.hash !== undefined ? { hash: vc.hash, length: vc.length ?? 0, count: vc.count } : { value: vc.value ?? '', length: Buffer.byteLength(vc.value ?? ''), count: vc.count });
            }
          }
        }
        return {
          key: v.key,
          reads: v.reads,
          writes: v.writes,
          unsetReads: v.unsetReads,
          values: [...values.values()].sort((a, b) => b.count - a.count),
          sites: [...sites.values()].sort((a, b) => b.count - a.count),
          race: races.get(v.key) ?? null,
        };
      });
  }

  /** Figures for the summary line. */
  totals(): Totals {
    let reads = 0;
    let unsetReads = 0;
    let writes = 0;
    for (const v of this.vars.values()) {
      reads += v.reads;
      unsetReads += v.unsetReads;
      writes += v.writes;
    }
    let clears = 0;
    for (const c of this.keyless.cells.values()) if (c.op === 'clearenv') clears += c.count;
    const keys = this.keyCounter.counts();
    return { events: this.events, reads, unsetReads, writes, clears, keysRead: keys.keys, unsetKeys: keys.unset, processes: this.processes.length, races: this.races().size };
  }
}

/** What a read of a run produced: the aggregate and the reading problems. */
export interface AggregatedRun {
  agg: RunAggregate;
  stats: ReadStats;
}

/** The text trace's order: first appearance, the Go runtime's own start-up reads (GODEBUG, GOGC, …) last, since every program makes them. */
export function traceOrder(a: TraceLine, b: TraceLine): number {
  const runtime = (l: TraceLine) => (l.api === 'runtime' ? 1 : 0);
  return runtime(a) - runtime(b) || a.first - b.first;
}
