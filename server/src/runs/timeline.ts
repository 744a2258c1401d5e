/**
 * The timeline of a run: one lane per process and per goroutine (named by its test when
 * the trace knows it), every access as a mark on a time axis, process start, exec and
 * end, test spans, and race pairs. Events sit in typed arrays (about 30 bytes each), so a
 * run of a million events is held without a million objects; timelineView.ts cuts
 * windows out of it, as marks or, zoomed out, as density.
 */
import type { GoroutineMark, Op } from './records';
import { readRun, type ProcessInfo, type ReadStats, type RunEvent, type RunVisitor } from './reader';
import { RaceCollector } from '../analysis/races';
import type { ReportRace } from './report';
import { readOptionsFor } from './load';
import type { StoredRun } from './store';
import { grown, Table } from './columns';

/** Mark kinds: the ops, then process marks. The webview's colours follow this order. */
export const MARK_KINDS = ['getenv', 'setenv', 'unsetenv', 'clearenv', 'environ', 'spawn', 'exec', 'start', 'end'] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

/** A lane: a process (goroutine -1) or one goroutine of it. */
export interface Lane {
  pid: number;
  goroutine: number;
  label: string;
  /** The test the goroutine ran, when known. */
  test?: string;
}

/** A test's span on its lane, in µs from the run's start. */
export interface TestSpan {
  lane: number;
  name: string;
  from: number;
  to: number;
}

/** A race pair: a write and an access to the same key by other goroutines, as µs and lanes. */
export interface RaceLink {
  key: string;
  level: string;
  a: { t: number; lane: number; site: string };
  b: { t: number; lane: number; site: string };
}

/** Growable columns of the events. */
class Columns {
  n = 0;
  t = new Float64Array(1024);
  lane = new Uint32Array(1024);
  kind = new Uint8Array(1024);
  key = new Int32Array(1024);
  site = new Int32Array(1024);
  push(t: number, lane: number, kind: number, key: number, site: number): void {
    if (this.n === this.t.length) {
      this.t = grown(this.t);
      this.lane = grown(this.lane);
      this.kind = grown(this.kind);
      this.key = grown(this.key);
      this.site = grown(this.site);
    }
    const i = this.n++;
    this.t[i] = t;
    this.lane[i] = lane;
    this.kind[i] = kind;
    this.key[i] = key;
    this.site[i] = site;
  }
}

const KIND_ID = new Map<string, number>(MARK_KINDS.map((k, i) => [k, i]));

/** A run's timeline, built by one streaming pass; its race pairs are placed from race verdicts (`placeRaces`). */
export class Timeline implements RunVisitor {
  readonly lanes: Lane[] = [];
  readonly cols = new Columns();
  readonly keys = new Table();
  /** `file:line` of each mark's site ('' when unknown). */
  readonly sites = new Table();
  readonly tests: TestSpan[] = [];
  races: RaceLink[] = [];
  /** False until `placeRaces` ran (race analysis can follow the first drawing). */
  racesPlaced = false;
  /** Unix ms of time zero (the first process's start). */
  base = Infinity;
  end = 0;
  private readonly laneIds = new Map<string, number>();
  private readonly siteIds = new Map<object, number>();
  private readonly lanesByPid = new Map<number, Map<number, number>>();
  /** Per pid: unix ms minus monotonic ms (known from its first event). */
  private readonly offsets = new Map<number, number>();
  private readonly testStarts = new Map<string, { mono: number }>();
  private readonly testEnds: { pid: number; g: number; mono: number }[] = [];
  private order: Uint32Array | null = null;

  process(p: ProcessInfo): void {
    this.base = Math.min(this.base, p.start);
    this.put(p.pid, -1, 'start', p.start);
  }

  processEnd(p: ProcessInfo): void {
    this.put(p.pid, -1, 'end', p.end);
  }

  goroutine(pid: number, g: number, _pg: number, start?: number): void {
    if (start !== undefined) this.testStarts.set(`${pid}:${g}`, { mono: start });
  }

  /** A recorder mark (test end, t.Parallel, goroutine exit), in monotonic ns. */
  mark(pid: number, g: number, kind: GoroutineMark, at: number): void {
    if (kind === 'TE') this.testEnds.push({ pid, g, mono: at });
  }

  /** A process mark at unix ms `at`. */
  private put(pid: number, g: number, kind: MarkKind, at: number): void {
    this.cols.push(at, this.laneOf(pid, g), KIND_ID.get(kind)!, -1, this.sites.id(''));
    this.end = Math.max(this.end, at);
  }

  event(e: RunEvent, p: ProcessInfo): void {
    if (!this.offsets.has(e.pid)) this.offsets.set(e.pid, e.time - e.t0 / 1e6);
    const lane = this.laneOf(e.pid, e.goroutine);
    if (e.test !== undefined && this.lanes[lane].test === undefined) {
      this.lanes[lane].test = e.test;
      this.lanes[lane].label = `${e.test} (g${e.goroutine})`;
    }
    this.cols.push(e.time, lane, KIND_ID.get(e.op)!, e.key === undefined ? -1 : this.keys.id(e.key), this.siteOf(e.user));
    this.end = Math.max(this.end, e.time, p.end);
  }

  /** The site id of a first user frame; the reader hands the same object for every event of a stack. */
  private siteOf(user: RunEvent['user']): number {
    if (!user) return this.sites.id('');
    let id = this.siteIds.get(user);
    if (id === undefined) this.siteIds.set(user, (id = this.sites.id(`${user.file}:${user.line}`)));
    return id;
  }

  private laneOf(pid: number, g: number): number {
    // Per pid, then goroutine: no string is built per event.
    let byG = this.lanesByPid.get(pid);
    if (!byG) this.lanesByPid.set(pid, (byG = new Map()));
    let i = byG.get(g);
    if (i === undefined) {
      byG.set(g, (i = this.lanes.length));
      this.laneIds.set(`${pid}:${g}`, i);
      this.lanes.push({ pid, goroutine: g, label: g < 0 ? `process ${pid}` : `g${g}` });
    }
    return i;
  }

  /** After reading: times relative to the start (µs), lanes in process then goroutine order, tests placed. */
  finish(): void {
    if (!Number.isFinite(this.base)) this.base = 0;
    const { cols } = this;
    for (let i = 0; i < cols.n; i++) cols.t[i] = (cols.t[i] - this.base) * 1000;
    this.end = (this.end - this.base) * 1000;
    const us = (pid: number, mono: number) => {
      const off = this.offsets.get(pid);
      return off === undefined ? null : (mono / 1e6 + off - this.base) * 1000;
    };
    for (const te of this.testEnds) {
      const lane = this.laneIds.get(`${te.pid}:${te.g}`);
      const start = this.testStarts.get(`${te.pid}:${te.g}`);
      const from = start && us(te.pid, start.mono);
      const to = us(te.pid, te.mono);
      if (lane === undefined || from == null || to === null) continue;
      this.tests.push({ lane, name: this.lanes[lane].test ?? `g${te.g}`, from, to });
    }
  }

  /** Event indices in time order (computed once). */
  timeOrder(): Uint32Array {
    if (this.order) return this.order;
    const { t, n } = this.cols;
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    // Each process file is nearly in time order: an insertion sort costs little more than a
    // copy then; when it has moved too much, a general sort finishes (both are stable).
    this.order = nearlySorted(idx, t, 8 * n + 1024) ? idx : idx.sort((a, b) => t[a] - t[b] || a - b);
    return this.order;
  }

  /** Lane display order: by process, the process lane first, then goroutines by id. */
  laneOrder(): number[] {
    return this.lanes.map((_, i) => i).sort((a, b) => {
      const x = this.lanes[a];
      const y = this.lanes[b];
      return x.pid - y.pid || x.goroutine - y.goroutine;
    });
  }

  /** Joins, for each race verdict, the first write and the first access of the other party on the key (after `finish`). */
  placeRaces(verdicts: Map<string, ReportRace>): void {
    this.races = this.raceLinks([...verdicts]);
    this.racesPlaced = true;
  }

  private raceLinks(races: [string, ReportRace][]): RaceLink[] {
    const { cols } = this;
    const raceKeys = new Set(races.map(([key]) => this.keys.find(key)).filter((k) => k >= 0));
    // One pass: the first event of each (key, lane, kind) among the raced keys, as one number.
    const id = (key: number, lane: number, kind: number) => (key * this.lanes.length + lane) * MARK_KINDS.length + kind;
    const firstOf = new Map<number, number>();
    for (let i = 0; i < cols.n; i++) {
      if (!raceKeys.has(cols.key[i])) continue;
      const at = id(cols.key[i], cols.lane[i], cols.kind[i]);
      if (!firstOf.has(at)) firstOf.set(at, i);
    }
    const out: RaceLink[] = [];
    for (const [key, race] of races) {
      const k = this.keys.find(key);
      const w = race.writers[0];
      const r = race.readers.find((x) => x.pid !== w?.pid || x.goroutine !== w?.goroutine) ?? race.writers[1];
      if (!w || !r || k < 0) continue;
      const find = (pid: number, g: number, op: Op) => {
        const lane = this.laneIds.get(`${pid}:${g}`);
        return lane === undefined ? -1 : (firstOf.get(id(k, lane, KIND_ID.get(op)!)) ?? -1);
      };
      const a = find(w.pid, w.goroutine, w.op);
      const b = find(r.pid, r.goroutine, r.op);
      if (a < 0 || b < 0) continue;
      const end = (i: number) => ({ t: cols.t[i], lane: cols.lane[i], site: this.sites.list[cols.site[i]] });
      out.push({ key, level: race.level, a: end(a), b: end(b) });
    }
    return out;
  }
}

/** Insertion-sorts `idx` by `t`; gives up (false, `idx` a permutation still) after `budget` moves. */
function nearlySorted(idx: Uint32Array, t: Float64Array, budget: number): boolean {
  for (let i = 1; i < idx.length; i++) {
    const x = idx[i];
    const tx = t[x];
    let j = i - 1;
    while (j >= 0 && t[idx[j]] > tx) {
      idx[j + 1] = idx[j];
      j--;
      if (--budget < 0) {
        idx[j + 1] = x;
        return false;
      }
    }
    idx[j + 1] = x;
  }
  return true;
}

/** A visitor that feeds race analysis (the aggregate's, without values or sites per key). */
export function raceVisitor(races: RaceCollector): RunVisitor {
  return {
    goroutine: (pid, g, pg, start) => races.goroutine(pid, g, pg, start),
    mark: (pid, g, kind, at) => races.mark(pid, g, kind, at),
    event: (e) => races.add(e),
  };
}

/** Reads a stored run into a timeline, races placed (in the same pass). */
export async function collectTimeline(run: StoredRun): Promise<{ timeline: Timeline; stats: ReadStats }> {
  const timeline = new Timeline();
  const races = new RaceCollector();
  const analyse = raceVisitor(races);
  const both: RunVisitor = {
    process: (p) => timeline.process(p),
    processEnd: (p) => timeline.processEnd(p),
    goroutine: (pid, g, pg, start) => {
      timeline.goroutine(pid, g, pg, start);
      analyse.goroutine!(pid, g, pg, start);
    },
    mark: (pid, g, kind, at) => {
      timeline.mark(pid, g, kind, at);
      analyse.mark!(pid, g, kind, at);
    },
    event: (e, p) => {
      timeline.event(e, p);
      races.add(e);
    },
  };
  const stats = await readRun(run.dir, both, readOptionsFor(run));
  timeline.finish();
  timeline.placeRaces(races.races());
  return { timeline, stats };
}

/** Op names of the mark kinds, for readers of the columns. */
export function kindName(kind: number): MarkKind {
  return MARK_KINDS[kind];
}
