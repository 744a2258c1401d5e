/**
 * A RunVisitor that hands what the run reader (a run directory) or the report replay (a JSON
 * report) streams to a FleetWriter: the same reading, checks and path mapping as everywhere,
 * then written again as processes of the fleet run.
 */
import type { Frame } from '../frames';
import type { ProcessInfo, RunEvent, RunVisitor } from '../readerTypes';
import type { GoroutineMark } from '../records';
import type { FleetWriter, ImportProcess, ProcessHandle } from './fleetWriter';
import type { ImportNotes } from './notes';

/** Processes of one machine share a group (their pids and parents mean something together). */
export function groupOf(where: ProcessInfo['where'], fallback: string): string {
  return where && (where.host || where.pod || where.container) ? `${where.host ?? ''}\0${where.pod ?? ''}\0${where.container ?? ''}` : fallback;
}

/** Forwards one source's processes and events; a process already imported from another source is a duplicate, left out. */
export class ForwardVisitor implements RunVisitor {
  private readonly handles = new Map<number, ProcessHandle | null>();
  private readonly byPid = new Map<number, ProcessHandle>();
  /** Unix ns minus mono ns per pid, from its first event (to place marks in time). */
  private readonly offsets = new Map<number, number>();
  private readonly stacks = new Map<string, Frame[]>();

  constructor(
    private readonly writer: FleetWriter,
    private readonly notes: ImportNotes,
    /** Group of processes whose recorder did not say where they ran (one machine per source). */
    private readonly fallbackGroup: string,
    private readonly runId: string,
    /** The key the source's hashes are under (a run directory's own `key`), if any. */
    private readonly hashKey?: string,
  ) {}

  process(p: ProcessInfo): void {
    const d: ImportProcess = {
      group: groupOf(p.where, this.fallbackGroup), pid: p.pid, ppid: p.ppid, parent: p.parent, argv: p.argv, cwd: p.cwd,
      go: p.goVersion, os: p.goos, arch: p.goarch, start: p.start, run: this.runId, ...(p.where ? { where: p.where } : {}),
      ...(this.hashKey ? { hashKey: this.hashKey } : {}),
    };
    if (this.writer.has(d)) {
      this.notes.duplicates++;
      this.handles.set(p.index, null);
      return;
    }
    const h = this.writer.process(d);
    this.handles.set(p.index, h);
    this.byPid.set(p.pid, h);
  }

  stack(id: string, frames: Frame[]): void {
    this.stacks.set(id, frames);
  }

  event(e: RunEvent, p: ProcessInfo): void {
    const h = this.handles.get(p.index);
    if (!h) return;
    if (!this.offsets.has(p.pid)) this.offsets.set(p.pid, e.time * 1e6 - e.t0);
    const frames = e.stack !== null ? (this.stacks.get(e.stack) ?? null) : e.user ? [e.user] : null;
    this.writer.event(h, {
      goroutine: e.goroutine, parentGoroutine: e.parentGoroutine, op: e.op, found: e.found, redacted: e.redacted, time: e.time, api: e.api, frames,
      ...(e.key !== undefined ? { key: e.key } : {}),
      ...(e.value !== undefined ? { value: e.value } : {}),
      ...(e.hash !== undefined ? { hash: e.hash } : {}),
      ...(e.length !== undefined ? { length: e.length } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.test !== undefined ? { test: e.test } : {}),
      ...(e.path !== undefined ? { path: e.path } : {}),
      ...(e.argv !== undefined ? { argv: e.argv } : {}),
      ...(e.childPid !== undefined ? { childPid: e.childPid } : {}),
      ...(e.race !== undefined ? { race: e.race } : {}),
      writeGen: e.writeGen, writeInFlight: e.writeInFlight, weight: e.weight,
    });
  }

  mark(pid: number, g: number, kind: GoroutineMark, at: number): void {
    const h = this.byPid.get(pid);
    const off = this.offsets.get(pid);
    if (h && off !== undefined) this.writer.mark(h, kind, g, (at + off) / 1e6);
  }
}
