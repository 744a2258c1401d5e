/**
 * Writes the processes of an import (OTLP records, JSON reports, run directories) as one run
 * directory in the recorder's own format (docs/FORMATS.md section 2), so the run store's
 * reader, reports, diffs and the editor read a fleet run like any other. Every process gets a
 * pid unique in the run (pid 1 runs in every container), values that look secret and arrive
 * in clear are redacted here, and an aggregated access is one event line with its weight `w`.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeNewFile } from '../../files/writeSafe';
import { isSecretKey, isSecretValue } from '../../tracer/secrets';
import { sipHashHex } from '../../tracer/siphash';
import { redactArgv } from '../../tracer/argv';
import type { Frame } from '../frames';
import type { RunEvent } from '../readerTypes';
import type { GoroutineMark, ProcessWhere } from '../records';
import { PID_SPACE } from '../fleetGroups';

/** A process as a source describes it; `group` tells apart processes of different machines/runs. */
export interface ImportProcess {
  group: string;
  pid: number;
  ppid: number;
  /** The nearest traced ancestor's pid (same group), or 0. */
  parent: number;
  argv: string[];
  cwd: string;
  go: string;
  os: string;
  arch: string;
  /** Unix ms. */
  start: number;
  run: string;
  where?: ProcessWhere;
  /** The key its own hashes are under, when the source has one (a run directory's `key`): values redacted here use it too. */
  hashKey?: string;
}

/** One access (or an aggregate of `weight` alike accesses), as the reader hands it, with its frames (innermost first; null when unknown). */
export type ImportEvent = Pick<
  RunEvent,
  'goroutine' | 'parentGoroutine' | 'op' | 'key' | 'found' | 'value' | 'redacted' | 'hash' | 'length' | 'error' | 'time' | 'api' | 'test' | 'path' | 'argv' | 'childPid' | 'weight' | 'race'
> & { frames: Frame[] | null; writeGen?: number; writeInFlight?: boolean };

interface Proc {
  desc: ImportProcess;
  pid: number;
  wall: number;
  stacks: Map<string, number>;
  tests: Set<string>;
  seq: number;
  chunks: string[];
  pending: string;
}

function identity(d: ImportProcess): string {
  return `${d.group}\0${d.pid}\0${d.start}`;
}

/** A handle on one process of the run being written. */
export type ProcessHandle = Proc;

/** Collects processes and events, then writes them into a new run directory. */
export class FleetWriter {
  private readonly procs: Proc[] = [];
  private readonly byId = new Map<string, Proc>();
  private readonly usedPids = new Set<number>();
  /** Values redacted on import (they arrived in clear). */
  redacted = 0;
  events = 0;

  /** `hashKey`: the workspace key (32 hex digits) that hashes values redacted here, unless a process brings its own. */
  constructor(private readonly hashKey: string) {}

  /** True when a process of this identity (group, pid, start) was added already. */
  has(d: ImportProcess): boolean {
    return this.byId.has(identity(d));
  }

  /** The process with this identity (group, pid, start), created on first use. */
  process(d: ImportProcess): ProcessHandle {
    const id = identity(d);
    const known = this.byId.get(id);
    if (known) return known;
    let pid = d.pid;
    while (this.usedPids.has(pid)) pid += PID_SPACE;
    this.usedPids.add(pid);
    const p: Proc = { desc: d, pid, wall: Math.max(0, Math.round(d.start * 1e6)), stacks: new Map(), tests: new Set(), seq: 0, chunks: [], pending: '' };
    this.byId.set(id, p);
    this.procs.push(p);
    return p;
  }

  /** Adds one event to a process. */
  event(p: ProcessHandle, e: ImportEvent): void {
    let line = '';
    let stack: number | undefined;
    if (e.frames?.length) {
      const text = JSON.stringify(e.frames.map((f) => [f.function, f.file, f.line]));
      stack = p.stacks.get(text);
      if (stack === undefined) {
        stack = p.stacks.size + 1;
        p.stacks.set(text, stack);
        line += `{"t":"S","id":${stack},"api":${JSON.stringify(e.api)},"f":${text}}\n`;
      }
    }
    if (e.test !== undefined && !p.tests.has(`${e.goroutine}\0${e.test}`)) {
      p.tests.add(`${e.goroutine}\0${e.test}`);
      line += JSON.stringify({ t: 'T', g: e.goroutine, pg: e.parentGoroutine, name: e.test, t0: this.mono(p, e.time) }) + '\n';
    }
    const t0 = this.mono(p, e.time);
    const r: Record<string, unknown> = { t: 'E', seq: ++p.seq, g: e.goroutine, pg: e.parentGoroutine, op: e.op };
    if (e.key !== undefined) r.k = e.key;
    r.ok = e.found;
    const secret = !e.redacted && e.value !== undefined && (isSecretKey(e.key ?? '') || isSecretValue(e.value));
    if (secret) {
      this.redacted++;
      r.h = sipHashHex(p.desc.hashKey ?? this.hashKey, e.value!);
      r.n = Buffer.byteLength(e.value!);
    } else if (e.redacted) {
      r.h = e.hash ?? '';
      r.n = e.length ?? 0;
    } else if (e.value !== undefined) r.v = e.value;
    if (e.error !== undefined) r.err = e.error;
    r.t0 = t0;
    r.t1 = t0;
    if (stack !== undefined) r.s = stack;
    r.api = e.api;
    r.wg = e.writeGen ?? 0;
    r.wf = e.writeInFlight ?? false;
    if (e.path !== undefined) r.path = e.path;
    if (e.argv !== undefined) r.argv = redactArgv(e.argv, { hashKey: p.desc.hashKey ?? this.hashKey });
    if (e.childPid !== undefined) r.cpid = e.childPid;
    if (e.weight !== 1) r.w = e.weight;
    if (e.race !== undefined) r.race = e.race;
    line += JSON.stringify(r) + '\n';
    this.events++;
    p.pending += line;
    if (p.pending.length > 1 << 16) {
      p.chunks.push(p.pending);
      p.pending = '';
    }
  }

  /** A test's end or pause, or a goroutine's exit (records.ts GoroutineMark), at Unix ms. */
  mark(p: ProcessHandle, kind: GoroutineMark, g: number, time: number): void {
    p.pending += JSON.stringify(kind === 'TP' ? { t: kind, g, t0: this.mono(p, time) } : { t: kind, g, t1: this.mono(p, time) }) + '\n';
  }

  /** Processes written so far. */
  get processes(): number {
    return this.procs.length;
  }

  /** Writes one process file per process into `dir` (a new, empty run directory). */
  async write(dir: string): Promise<void> {
    const pidOf = new Map<string, number>();
    for (const p of this.procs) pidOf.set(`${p.desc.group}\0${p.desc.pid}`, p.pid);
    const mapped = (p: Proc, pid: number) => (pid ? pidOf.get(`${p.desc.group}\0${pid}`) : undefined);
    for (const p of this.procs) {
      const d = p.desc;
      const head = {
        t: 'P', v: 1, pid: p.pid, ppid: mapped(p, d.ppid) ?? d.ppid, parent: mapped(p, d.parent) ?? 0, run: d.run,
        argv: redactArgv(d.argv, { hashKey: d.hashKey ?? this.hashKey }), cwd: d.cwd, go: d.go, os: d.os, arch: d.arch,
        wall: p.wall, mono: p.wall, depth: 16, ...(d.where ? { where: d.where } : {}),
      };
      const file = join(dir, `${p.pid}-${p.wall}.jsonl`);
      await writeNewFile(file, JSON.stringify(head) + '\n');
      // NOTE: the file was just created in a directory made for this import (0700): appending to it follows no link.
      for (const c of p.chunks) await appendFile(file, c);
      if (p.pending) await appendFile(file, p.pending);
      p.chunks = [];
      p.pending = '';
    }
  }

  /** The monotonic time of an event: the process record sets mono = wall, so t0 is Unix ns. */
  private mono(p: Proc, time: number): number {
    return Number.isFinite(time) ? Math.max(0, Math.round(time * 1e6)) : p.wall;
  }
}
