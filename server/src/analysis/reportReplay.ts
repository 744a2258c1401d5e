/**
 * Replays a JSON report (docs/FORMATS.md section 3, e.g. downloaded from CI) into a
 * RunVisitor, the same consumer a run directory feeds, streaming its events.
 */
import { openRegular } from '../files/readRegular';
import { JsonObjectStream } from './jsonStream';
import type { Frame } from '../runs/frames';
import type { ProcessInfo, RunEvent, RunVisitor } from '../runs/reader';
import { isWeight, whereOf, type Op } from '../runs/records';
import type { ReportRace, ReportVar } from '../runs/report';
import type { GoCommandConfig } from '../runs/goConfig';
import type { ObservedGoCommand } from './observations';

/** The report's fields other than events, as far as they were read. */
export interface ReportHead {
  version: unknown;
  id: string | null;
  label: string | null;
  command: string[];
  cwd: string;
  exitCode: number | null;
  goVersion: string | null;
}

/** What a replay found besides the events it handed to the visitor. */
export interface ReportReplay {
  head: ReportHead;
  races: Map<string, ReportRace>;
  badLines: number;
  lostEvents: number;
  unreadableFiles: number;
  /** The report's `problems.notes`: what its reader skipped and why. */
  notes: string[];
  windows: boolean;
  events: number;
  /** The go commands of the report (processes of kind go-command), which are not handed to the visitor as programs. */
  goCommands: Omit<ObservedGoCommand, 'goMods'>[];
  /** A one-line reason when (part of) the report could not be read. */
  message?: string;
}

const OPS = new Set<string>(['getenv', 'setenv', 'unsetenv', 'clearenv', 'environ', 'spawn', 'exec']);
const WINDOWS_PATH = /^[A-Za-z]:[\\/]/;

const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** Streams a report file into `visitor`; never throws for bad content (it is counted instead). */
export async function replayReport(file: string, visitor: RunVisitor): Promise<ReportReplay> {
  const r = new Replayer(visitor);
  const stream = new JsonObjectStream(r, new Set(['events']));
  try {
    // Only a regular file: a FIFO or /dev/zero named as a report is refused, not read forever.
    const fh = await openRegular(file);
    for await (const chunk of fh.createReadStream({ encoding: 'utf8', highWaterMark: 1 << 20 })) {
      stream.push(chunk as string);
      await r.drain();
      if (r.stop) break;
    }
    if (!stream.complete && !r.stop) {
      r.out.badLines++;
      r.out.message ??= 'the report ends early (truncated)';
    }
  } catch (e) {
    r.out.badLines++;
    r.out.message ??= e instanceof SyntaxError ? `the report is not valid JSON (${e.message})` : `the report could not be read (${(e as Error).message})`;
  }
  await r.end();
  return r.out;
}

const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((y): y is string => typeof y === 'string') : []);

/** A report's `goCommand`, when it has the documented shape (entries without a key or source dropped). */
function goCommandOf(x: unknown): GoCommandConfig | null {
  if (typeof x !== 'object' || x === null) return null;
  const g = x as Record<string, unknown>;
  if (typeof g.subcommand !== 'string' || !Array.isArray(g.config)) return null;
  const config = g.config.filter((c): c is GoCommandConfig['config'][number] => typeof c === 'object' && c !== null && typeof c.key === 'string' && typeof c.source === 'string');
  const out: GoCommandConfig = { subcommand: g.subcommand, args: strings(g.args), config, warnings: strings(g.warnings) };
  if (typeof g.goVersion === 'string') out.goVersion = g.goVersion;
  if (Array.isArray(g.switchedTo)) out.switchedTo = strings(g.switchedTo);
  return out;
}

/** Turns report fields into visitor calls. */
class Replayer {
  readonly out: ReportReplay = {
    head: { version: undefined, id: null, label: null, command: [], cwd: '', exitCode: null, goVersion: null },
    races: new Map(),
    badLines: 0,
    lostEvents: 0,
    unreadableFiles: 0,
    notes: [],
    windows: false,
    events: 0,
    goCommands: [],
  };
  stop = false;
  private readonly procs = new Map<number, ProcessInfo>();
  private procsSent = false;
  private readonly stacks = new Map<string, Frame[]>();
  private stacksSeen = false;
  private readonly goroutines = new Set<string>();
  private readonly queue: unknown[] = [];
  private readonly held: unknown[] = [];

  constructor(private readonly visitor: RunVisitor) {}

  field(key: string, value: unknown): void {
    const h = this.out.head;
    switch (key) {
      case 'version':
        h.version = value;
        if (value !== 1) {
          this.out.unreadableFiles++;
          this.out.message = `unknown report version ${JSON.stringify(value)} (this envtrace reads version 1)`;
          this.stop = true;
        }
        break;
      case 'id':
        h.id = str(value) ?? null;
        break;
      case 'label':
        h.label = str(value) ?? null;
        break;
      case 'command':
        h.command = Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
        break;
      case 'cwd':
        h.cwd = str(value) ?? '';
        break;
      case 'exitCode':
        h.exitCode = num(value) ?? null;
        break;
      case 'goVersion':
        h.goVersion = str(value) ?? null;
        break;
      case 'processes':
        if (Array.isArray(value)) value.forEach((p, i) => this.addProcess(p, i));
        break;
      case 'stacks':
        this.addStacks(value);
        break;
      case 'vars':
        if (Array.isArray(value)) for (const v of value as ReportVar[]) if (v && typeof v.key === 'string' && v.race) this.out.races.set(v.key, v.race);
        break;
      case 'problems': {
        const p = (value ?? {}) as Record<string, unknown>;
        this.out.badLines += num(p.badLines) ?? 0;
        this.out.lostEvents += num(p.lostEvents) ?? 0;
        this.out.unreadableFiles += num(p.unreadableFiles) ?? 0;
        if (Array.isArray(p.notes)) this.out.notes.push(...p.notes.filter((n): n is string => typeof n === 'string'));
        break;
      }
    }
  }

  element(_key: string, raw: string): void {
    if (this.stop) return;
    try {
      this.queue.push(JSON.parse(raw));
    } catch {
      this.out.badLines++;
    }
  }

  /** Hands queued events to the visitor (events before the stacks wait for them). */
  async drain(): Promise<void> {
    const list = this.queue.splice(0);
    if (!this.stacksSeen) {
      this.held.push(...list);
      return;
    }
    for (const o of list) await this.emit(o);
  }

  async end(): Promise<void> {
    this.stacksSeen = true;
    const list = [...this.held.splice(0), ...this.queue.splice(0)];
    if (!this.stop) for (const o of list) await this.emit(o);
    this.sendProcesses();
    for (const p of this.procs.values()) this.visitor.processEnd?.(p);
  }

  private addProcess(o: unknown, index: number): void {
    if (typeof o !== 'object' || o === null) return;
    const p = o as Record<string, unknown>;
    const pid = num(p.pid);
    if (pid === undefined || this.procs.has(pid)) return;
    const start = num(p.start) ?? 0;
    if (p.kind === 'go-command') {
      const config = goCommandOf(p.goCommand);
      if (config) this.out.goCommands.push({ pid, argv: strings(p.argv), cwd: str(p.cwd) ?? '', start, config });
      return;
    }
    this.procs.set(pid, {
      index,
      file: '',
      pid,
      ppid: num(p.ppid) ?? 0,
      parent: num(p.parent) ?? 0,
      argv: strings(p.argv),
      cwd: str(p.cwd) ?? '',
      goVersion: this.out.head.goVersion ?? '',
      goos: str(p.goos) ?? '',
      goarch: str(p.goarch) ?? '',
      start,
      end: num(p.end) ?? start,
      env: [],
      ...(p.where !== undefined && whereOf(p.where) ? { where: whereOf(p.where) } : {}),
      events: 0,
      maxSeq: 0,
    });
  }

  private addStacks(value: unknown): void {
    this.stacksSeen = true;
    if (typeof value !== 'object' || value === null) return;
    for (const [id, frames] of Object.entries(value as Record<string, unknown>)) {
      if (!Array.isArray(frames)) continue;
      const list: Frame[] = [];
      for (const f of frames as Record<string, unknown>[]) {
        if (f && typeof f.function === 'string' && typeof f.file === 'string' && typeof f.line === 'number') {
          list.push({ function: f.function, file: f.file, line: f.line });
          if (WINDOWS_PATH.test(f.file)) this.out.windows = true;
        }
      }
      this.stacks.set(id, list);
    }
  }

  /** Processes go to the visitor once the stacks (and so the OS guess) are known. */
  private sendProcesses(): void {
    if (this.procsSent) return;
    this.procsSent = true;
    for (const p of this.procs.values()) {
      if (this.out.windows && !p.goos) p.goos = 'windows';
      this.visitor.process?.(p);
    }
    for (const [id, frames] of this.stacks) this.visitor.stack?.(id, frames);
  }

  private processFor(pid: number): ProcessInfo {
    let p = this.procs.get(pid);
    if (!p) {
      this.addProcess({ pid }, this.procs.size);
      p = this.procs.get(pid)!;
      if (this.procsSent) this.visitor.process?.(p);
    }
    return p;
  }

  private async emit(o: unknown): Promise<void> {
    const e = toEvent(o, this.stacks);
    if (!e) {
      this.out.badLines++;
      return;
    }
    this.sendProcesses();
    if (e.stack === null && e.user) {
      // A stackless event that names its place: a one-frame stack keeps it attributable.
      const id = `@${e.user.file}:${e.user.line}:${e.user.function}`;
      if (!this.stacks.has(id)) {
        this.stacks.set(id, [e.user]);
        this.visitor.stack?.(id, [e.user]);
      }
      e.stack = id;
    }
    const p = this.processFor(e.pid);
    if (this.out.windows && !p.goos) p.goos = 'windows';
    const g = `${e.pid}/${e.goroutine}`;
    if (!this.goroutines.has(g)) {
      this.goroutines.add(g);
      this.visitor.goroutine?.(e.pid, e.goroutine, e.parentGoroutine);
    }
    p.events++;
    if (e.seq > p.maxSeq) p.maxSeq = e.seq;
    this.out.events++;
    await this.visitor.event?.(e, p);
  }
}

/** A report event as a reader event; null when it lacks what every event has. */
function toEvent(o: unknown, stacks: Map<string, Frame[]>): RunEvent | null {
  if (typeof o !== 'object' || o === null) return null;
  const r = o as Record<string, unknown>;
  const pid = num(r.pid);
  const op = str(r.op);
  if (pid === undefined || op === undefined || !OPS.has(op)) return null;
  const time = num(r.time) ?? 0;
  const stack = str(r.stack) ?? (num(r.stack) !== undefined ? String(r.stack) : null);
  const file = str(r.file);
  const line = num(r.line);
  const redacted = r.redacted === true;
  const e: RunEvent = {
    pid,
    seq: num(r.seq) ?? 0,
    goroutine: num(r.goroutine) ?? 0,
    parentGoroutine: num(r.parentGoroutine) ?? 0,
    op: op as Op,
    found: r.found === true,
    redacted,
    t0: time * 1e6,
    t1: time * 1e6,
    time,
    api: str(r.api) ?? 'syscall.' + op,
    stack: stack !== null && stacks.has(stack) ? stack : null,
    user: file !== undefined && line !== undefined ? { function: str(r.function) ?? '', file, line } : null,
    writeGen: 0,
    writeInFlight: false,
    weight: isWeight(r.count) ? r.count : 1,
  };
  const key = str(r.key);
  if (key !== undefined) e.key = key;
  if (redacted) {
    e.hash = str(r.hash) ?? '';
    e.length = num(r.length) ?? 0;
  } else if (str(r.value) !== undefined) e.value = r.value as string;
  if (str(r.error) !== undefined) e.error = r.error as string;
  if (str(r.test) !== undefined) e.test = r.test as string;
  if (str(r.path) !== undefined) e.path = r.path as string;
  if (num(r.childPid) !== undefined) e.childPid = r.childPid as number;
  return e;
}
