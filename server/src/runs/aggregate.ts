/**
 * Aggregation of a streamed run: processes, stacks, per-key figures (the report's `vars`),
 * the distinct (site, op, key, value) lines of the text trace, and races. Holds no events.
 */
import { RaceCollector } from '../analysis/races';
import type { Frame } from './frames';
import type { ProcessInfo, ReadStats, RunEvent, RunVisitor } from './reader';
import type { Op } from './records';
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

interface VarAcc {
  key: string;
  reads: number;
  writes: number;
  unsetReads: number;
  values: Map<string, ReportValue>;
  sites: Map<string, { file: string; line: number; count: number }>;
}

/** Totals shown in the summary. */
export interface Totals {
  events: number;
  reads: number;
  unsetReads: number;
  writes: number;
  keysRead: number;
  processes: number;
  races: number;
}

/** A RunVisitor that keeps what the report and the text trace need. */
export class RunAggregate implements RunVisitor {
  readonly processes: ProcessInfo[] = [];
  readonly stacks = new Map<string, Frame[]>();
  private readonly vars = new Map<string, VarAcc>();
  private readonly lines = new Map<string, TraceLine>();
  private readonly lineValues = new Map<string, number>();
  private readonly raceCollector = new RaceCollector();
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

  event(e: RunEvent): void {
    this.events++;
    this.raceCache = null;
    this.raceCollector.add(e);
    this.addLine(e);
    if (e.key === undefined) return;
    let v = this.vars.get(e.key);
    if (!v) this.vars.set(e.key, (v = { key: e.key, reads: 0, writes: 0, unsetReads: 0, values: new Map(), sites: new Map() }));
    if (e.op === 'getenv') {
      v.reads++;
      if (!e.found) v.unsetReads++;
    } else if (e.op === 'setenv' || e.op === 'unsetenv') v.writes++;
    if ((e.op === 'getenv' && e.found) || e.op === 'setenv') {
      const id = e.redacted ? 'h:' + e.hash : 'v:' + e.value;
      const known = v.values.get(id);
      if (known) known.count++;
      else if (v.values.size < MAX_VALUES) {
        v.values.set(id, e.redacted ? { hash: e.hash, length: e.length ?? 0, count: 1 } : { value: e.value ?? '', length: Buffer.byteLength(e.value ?? ''), count: 1 });
      }
    }
    if (e.user) {
      const id = `${e.user.file}:${e.user.line}`;
      const site = v.sites.get(id);
      if (site) site.count++;
      else v.sites.set(id, { file: e.user.file, line: e.user.line, count: 1 });
    }
  }

  private addLine(e: RunEvent): void {
    const site = `${e.user?.file ?? ''}:${e.user?.line ?? ''}|${e.op}|${e.api}|${e.key ?? ''}`;
    const value = e.redacted ? 'h:' + e.hash : e.op === 'spawn' || e.op === 'exec' ? 'p:' + (e.path ?? '') : e.found || e.op === 'setenv' ? 'v:' + (e.value ?? '') : 'unset';
    let id = `${site}|${value}`;
    let line = this.lines.get(id);
    if (!line) {
      const n = this.lineValues.get(site) ?? 0;
      if (n >= MAX_LINE_VALUES) {
        id = `${site}|other`;
        line = this.lines.get(id);
      } else this.lineValues.set(site, n + 1);
    }
    if (line) {
      line.count++;
      return;
    }
    line = { op: e.op, api: e.api, key: e.key ?? null, file: e.user?.file ?? null, line: e.user?.line ?? null, found: e.found, count: 1, first: this.lines.size };
    if (id.endsWith('|other')) line.otherValues = true;
    else if (e.redacted) {
      line.hash = e.hash;
      line.length = e.length;
    } else if (e.value !== undefined) line.value = e.value;
    if (e.path !== undefined) line.path = e.path;
    this.lines.set(id, line);
  }

  /** The text trace's lines in order of first appearance. */
  traceLines(): TraceLine[] {
    return [...this.lines.values()].sort((a, b) => a.first - b.first);
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
      .map((v) => ({
        key: v.key,
        reads: v.reads,
        writes: v.writes,
        unsetReads: v.unsetReads,
        values: [...v.values.values()].sort((a, b) => b.count - a.count),
        sites: [...v.sites.values()].sort((a, b) => b.count - a.count),
        race: races.get(v.key) ?? null,
      }));
  }

  /** Figures for the summary line. */
  totals(): Totals {
    let reads = 0;
    let unsetReads = 0;
    let writes = 0;
    let keysRead = 0;
    for (const v of this.vars.values()) {
      reads += v.reads;
      unsetReads += v.unsetReads;
      writes += v.writes;
      if (v.reads) keysRead++;
    }
    for (const l of this.lines.values()) if (l.op === 'clearenv') writes += l.count;
    return { events: this.events, reads, unsetReads, writes, keysRead, processes: this.processes.length, races: this.races().size };
  }
}

/** What a read of a run produced: the aggregate and the reading problems. */
export interface AggregatedRun {
  agg: RunAggregate;
  stats: ReadStats;
}
