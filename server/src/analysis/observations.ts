/**
 * What the editor features keep of one or more runs: per distinct (run, stack, op, key,
 * found, value-or-hash) a count with the processes, goroutines and tests that made it; the
 * interned stacks; the processes; per run its races and what could not be read.
 * A run of a million events becomes a few thousand entries, never a million objects.
 */
import { IdList } from './idList';
import { RaceCollector } from './races';
import { type Frame, userAccess } from '../runs/frames';
import type { ProcessInfo, ReadStats, RunEvent, RunVisitor } from '../runs/reader';
import type { EnvEntry, GoroutineMark, Op, ProcessWhere } from '../runs/records';
import type { ReportRace } from '../runs/report';
import type { GoCommandConfig } from '../runs/goConfig';

/** Distinct values kept per (run, stack, op, key) before the rest is lumped into one entry. */
export const MAX_VALUES_PER_SLOT = 50;
/** Goroutines remembered per entry (the count stays exact up to here, then is a lower bound). */
export const MAX_GOROUTINES = 4096;

/** What could not be read in a run, and a one-line explanation when the whole source failed. */
export interface RunProblems {
  badLines: number;
  lostEvents: number;
  unreadableFiles: number;
  /** Set when the source could not be read at all (missing, not a run, unknown version). */
  message?: string;
}

/** One loaded run (a run directory or an imported JSON report). */
export interface ObservedRun {
  /** Position in `Observations.runs`. */
  index: number;
  id: string;
  label: string | null;
  /** The run directory or report file it was read from. */
  source: string;
  kind: 'dir' | 'report';
  command: string[];
  cwd: string;
  /** ISO time of the start, or '' when unknown. */
  start: string;
  exitCode: number | null;
  goVersion: string | null;
  /** True when any process of the run ran on Windows (keys then compare case-insensitively). */
  windows: boolean;
  events: number;
  problems: RunProblems;
  /** Races per key, from the run's analysis (or from the report). */
  races: Map<string, ReportRace>;
  /** The go commands envtrace traced in the run, in start order, with what each resolved. */
  goCommands?: ObservedGoCommand[];
}

/** A traced go command of a loaded run (the report's `processes[]` of kind go-command). */
export interface ObservedGoCommand {
  pid: number;
  argv: string[];
  cwd: string;
  /** Unix ms. */
  start: number;
  config: GoCommandConfig;
  /** The go.mod files it worked on (runs/goConfig.ts goModsOf), as found when the run was loaded. */
  goMods: string[];
}

/** A traced process of a loaded run. */
export interface ObservedProcess {
  run: number;
  pid: number;
  parent: number;
  argv: string[];
  cwd: string;
  goos: string;
  /** The starting environment (secrets redacted), for reads a library makes through Environ. */
  env: EnvEntry[];
  /** Where it ran (host, pod, service…), when its recorder or the import said. */
  where?: ProcessWhere;
}

/** Counts of one distinct (run, stack, op, key, found, value). */
export interface Entry {
  run: number;
  /** Index into `Observations.stacks`, or -1 (the runtime's early reads). */
  stack: number;
  op: Op;
  api: string;
  key: string | null;
  found: boolean;
  redacted: boolean;
  value?: string;
  hash?: string;
  length?: number;
  /** Stands for the values beyond MAX_VALUES_PER_SLOT of its slot. */
  other?: boolean;
  /** The event came from a Windows process: its key compares case-insensitively. */
  windows: boolean;
  count: number;
  /** Indexes into `Observations.processes`. */
  processes: IdList;
  /** goroutine id * 1024 + process index mod 1024 (at most MAX_GOROUTINES). */
  goroutines: IdList;
  tests: Set<string>;
  /** The last process and goroutine added (skips repeated set insertions). */
  lastProc: number;
  lastG: number;
}

/** Everything loaded from the shown runs. */
export interface Observations {
  runs: ObservedRun[];
  processes: ObservedProcess[];
  /** Interned stacks, innermost frame first, files as the reader resolved them. */
  stacks: Frame[][];
  entries: Entry[];
  /** Entries per stack index (stackless entries are not listed). */
  byStack: Map<number, Entry[]>;
}

/** Run facts known before its events are read. */
export type RunMeta = Omit<ObservedRun, 'index' | 'events' | 'problems' | 'races' | 'windows'>;

/** An empty set of observations. */
export function emptyObservations(): Observations {
  return { runs: [], processes: [], stacks: [], entries: [], byStack: new Map() };
}

/** Builds Observations from one or more runs, each streamed through `beginRun(...)`'s visitor. */
export class ObservationsBuilder {
  readonly obs: Observations = emptyObservations();
  private readonly stackIds = new Map<string, number>();

  /** Starts a run; feed its content to the returned visitor, then call `finish`. */
  beginRun(meta: RunMeta): RunObserver {
    const run: ObservedRun = {
      ...meta,
      index: this.obs.runs.length,
      windows: false,
      events: 0,
      problems: { badLines: 0, lostEvents: 0, unreadableFiles: 0 },
      races: new Map(),
    };
    this.obs.runs.push(run);
    return new RunObserver(this.obs, run, this.stackIds);
  }

  /** Records a source that could not be read at all. */
  failedRun(meta: RunMeta, message: string): ObservedRun {
    const r = this.beginRun(meta).run;
    r.problems.message = message;
    r.problems.unreadableFiles++;
    return r;
  }
}

/** The entries of one (stack, op, key[, api]) of a run, by outcome. */
interface Slot {
  stack: number;
  op: Op;
  key: string | undefined;
  api: string;
  size: number;
  unset?: Entry;
  /** Found (or written) with no value carried (e.g. environ). */
  bare?: Entry;
  values?: Map<string, Entry>;
  lastValue?: Entry;
  hashes?: Map<string, Entry>;
  other?: Entry;
}

/** The RunVisitor of one run. */
export class RunObserver implements RunVisitor {
  private readonly localStacks = new Map<string, number>();
  private readonly procIndex = new Map<number, number>();
  /** Slots by stack, then op (plus api for stackless events), then key: a lookup per event, whatever the number of keys. */
  private readonly slots = new Map<number, Map<string, Map<string | undefined, Slot>>>();
  /** The last slot of each reader stack id (with a stack: the slot is then keyed by op and key only). */
  private readonly lastSlots = new Map<string, Slot>();
  private readonly races = new RaceCollector();
  private lastP: ProcessInfo | null = null;
  private lastProc = 0;

  constructor(
    private readonly obs: Observations,
    readonly run: ObservedRun,
    private readonly stackIds: Map<string, number>,
  ) {}

  process(p: ProcessInfo): void {
    this.procIndex.set(p.index, this.obs.processes.length);
    this.obs.processes.push({ run: this.run.index, pid: p.pid, parent: p.parent, argv: p.argv, cwd: p.cwd, goos: p.goos, env: p.env, ...(p.where ? { where: p.where } : {}) });
    if (p.goos === 'windows') this.run.windows = true;
  }

  stack(id: string, frames: Frame[]): void {
    const text = JSON.stringify(frames);
    let g = this.stackIds.get(text);
    if (g === undefined) {
      g = this.obs.stacks.length;
      this.obs.stacks.push(frames);
      this.stackIds.set(text, g);
    }
    this.localStacks.set(id, g);
  }

  goroutine(pid: number, g: number, pg: number, start?: number): void {
    this.races.goroutine(pid, g, pg, start);
  }

  processEnd(p: ProcessInfo): void {
    this.races.processEnd(p.pid);
  }

  mark(pid: number, g: number, kind: GoroutineMark, at: number): void {
    this.races.mark(pid, g, kind, at);
  }

  event(e: RunEvent, p: ProcessInfo): void {
    this.run.events++;
    this.races.add(e, p.writtenKeys);
    // t.Setenv's lookup of the old value and its cleanup are no access of the program: not
    // shown at its site (as "unset") nor counted among the run's keys.
    if (userAccess(e.op, e.api, e.user) === null && e.key !== undefined) return;
    // Nearly every stack makes one (op, key): its last slot is checked before the maps.
    let slot = e.stack === null ? undefined : this.lastSlots.get(e.stack);
    if (slot === undefined || slot.op !== e.op || slot.key !== e.key) {
      const stack = e.stack === null ? -1 : (this.localStacks.get(e.stack) ?? -1);
      slot = this.slotFor(stack, e);
      if (stack >= 0) this.lastSlots.set(e.stack!, slot);
    }
    const entry = this.entryFor(slot, e, slot.stack, p);
    entry.count += e.weight;
    if (p !== this.lastP) {
      this.lastP = p;
      this.lastProc = this.procIndex.get(p.index) ?? 0;
    }
    const proc = this.lastProc;
    if (entry.lastProc !== proc) {
      // The reader goes through processes one after another, in index order: a process above
      // the entry's highest is new to it, and so are its goroutines (they carry its index).
      if (proc > entry.processes.max()) {
        entry.processes.group();
        entry.goroutines.group();
      } else {
        entry.processes.ungroup();
        entry.goroutines.ungroup();
      }
      entry.processes.add(proc);
      entry.lastProc = proc;
    }
    // NOTE: goroutines of different processes are told apart by the low 10 bits (exact up to
    // 1,024 processes per entry), which keeps the numbers small integers for fast sets.
    const g = e.goroutine * 1024 + (proc & 1023);
    if (entry.lastG !== g && entry.goroutines.size < MAX_GOROUTINES) entry.goroutines.add(g);
    entry.lastG = g;
    if (e.test !== undefined) entry.tests.add(e.test);
  }

  // NOTE: a list scanned per event made 100,000 keys read at one call site quadratic (issue 10).
  private slotFor(stack: number, e: RunEvent): Slot {
    let byOp = this.slots.get(stack);
    if (!byOp) this.slots.set(stack, (byOp = new Map()));
    const op = stack >= 0 ? e.op : `${e.op}\0${e.api}`;
    let byKey = byOp.get(op);
    if (!byKey) byOp.set(op, (byKey = new Map()));
    let s = byKey.get(e.key);
    if (!s) {
      s = { stack, op: e.op, key: e.key, api: e.api, size: 0, unset: undefined, bare: undefined, values: undefined, lastValue: undefined, hashes: undefined, other: undefined };
      byKey.set(e.key, s);
    }
    return s;
  }

  private entryFor(slot: Slot, e: RunEvent, stack: number, p: ProcessInfo): Entry {
    // Found entries are looked up without allocating: this runs once per event.
    let kind: 'unset' | 'hash' | 'value' | 'bare';
    if (e.op === 'getenv' && !e.found) {
      if (slot.unset) return slot.unset;
      kind = 'unset';
    } else if (e.redacted) {
      const known = slot.hashes?.get(e.hash ?? '');
      if (known) return known;
      kind = 'hash';
    } else if (e.value !== undefined) {
      // Most sites read the same value again and again: compare with the last one first.
      if (slot.lastValue !== undefined && slot.lastValue.value === e.value) return slot.lastValue;
      const known = slot.values?.get(e.value);
      if (known) return (slot.lastValue = known);
      kind = 'value';
    } else {
      if (slot.bare) return slot.bare;
      kind = 'bare';
    }
    if (slot.size >= MAX_VALUES_PER_SLOT) return (slot.other ??= this.addEntry(e, stack, p, true));
    const entry = this.addEntry(e, stack, p, false);
    slot.size++;
    if (kind === 'unset') slot.unset = entry;
    else if (kind === 'hash') (slot.hashes ??= new Map()).set(e.hash ?? '', entry);
    else if (kind === 'value') (slot.values ??= new Map()).set(e.value!, (slot.lastValue = entry));
    else slot.bare = entry;
    return entry;
  }

  private addEntry(e: RunEvent, stack: number, p: ProcessInfo, other: boolean): Entry {
    const entry = this.newEntry(e, stack, p, other);
    this.obs.entries.push(entry);
    if (stack >= 0) {
      const list = this.obs.byStack.get(stack);
      if (list) list.push(entry);
      else this.obs.byStack.set(stack, [entry]);
    }
    return entry;
  }

  private newEntry(e: RunEvent, stack: number, p: ProcessInfo, other: boolean): Entry {
    const entry: Entry = {
      run: this.run.index,
      stack,
      op: e.op,
      api: e.api,
      key: e.key ?? null,
      found: e.found,
      redacted: !other && e.redacted,
      windows: p.goos === 'windows',
      count: 0,
      processes: new IdList(),
      goroutines: new IdList(),
      tests: new Set(),
      lastProc: -1,
      lastG: -1,
    };
    if (other) entry.other = true;
    else if (e.redacted) {
      entry.hash = e.hash;
      entry.length = e.length ?? 0;
    } else if (e.value !== undefined && (e.found || e.op !== 'getenv')) {
      entry.value = e.value;
      entry.length = Buffer.byteLength(e.value);
    }
    return entry;
  }

  /** Ends the run: its reading problems, and its races (given by a report, else analysed). */
  finish(stats: Pick<ReadStats, 'badLines' | 'lostEvents' | 'unreadableFiles'>, races?: Map<string, ReportRace>): ObservedRun {
    this.run.problems.badLines += stats.badLines;
    this.run.problems.lostEvents += stats.lostEvents;
    this.run.problems.unreadableFiles += stats.unreadableFiles;
    this.run.races = races ?? this.races.races();
    this.slots.clear();
    this.lastSlots.clear();
    return this.run;
  }
}

/** The number of distinct goroutines in a set of entries. */
export function goroutineCount(entries: Iterable<Entry>): number {
  const list = Array.isArray(entries) ? (entries as Entry[]) : null;
  if (list?.length === 1) return list[0].goroutines.size;
  const all = new Set<number>();
  for (const e of entries) for (const g of e.goroutines) all.add(g);
  return all.size;
}
