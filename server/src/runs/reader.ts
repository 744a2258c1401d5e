/**
 * Streams the process files of one run directory and hands each process, stack and event
 * to a visitor, resolved (absolute files, API, first user frame, test name). Nothing is
 * kept per event, so a run of a million events costs what the visitor keeps.
 * Unreadable lines are skipped and counted; gaps in `seq` are counted as lost events.
 */
import { join } from 'node:path';
import { absoluteFile, findModules, type ModuleRoot, type PathContext } from './modules';
import { type Frame, isTestSetenv, stackFacts, validCount, validLine } from './frames';
import { type EventRecord, type Op, type ProcessRecord, type RecorderLine, parseLine, SUPPORTED_VERSION } from './records';
import { fastEvent, StringTable } from './fastEvent';
import { writtenKeysOf } from './writtenKeys';
import { megabytes, UnreadableFile } from '../files/readRegular';
import { MAX_LINE, nodeRunFs, type RunFs } from './lines';
import type { ProcessInfo, ReadOptions, ReadStats, RunEvent, RunVisitor } from './readerTypes';

export type { ProcessInfo, ReadOptions, ReadStats, RunEvent, RunVisitor } from './readerTypes';


const PROCESS_FILE = /^(\d+)-(\d+)\.jsonl$/;
/** Above any seq a process reaches: 2^40 events at ~272 bytes each would be a 300 TB file. */
const MAX_SEQ = 2 ** 40;

/** The process files of a run directory, oldest process first. */
export async function processFiles(dir: string, fs: RunFs = nodeRunFs): Promise<string[]> {
  const names = (await fs.readdir(dir)).filter((n) => PROCESS_FILE.test(n));
  const key = (n: string) => PROCESS_FILE.exec(n)!;
  return names.sort((a, b) => {
    const [, pa, sa] = key(a);
    const [, pb, sb] = key(b);
    return sa.length - sb.length || (sa < sb ? -1 : sa > sb ? 1 : Number(pa) - Number(pb));
  });
}

/** Resolves frames to absolute files, learning modules as new working directories appear. */
class PathResolver {
  private readonly seen = new Set<string>();
  private modules: ModuleRoot[] = [];
  /** Changes whenever the modules (and so the mapping of trimpath files) may change. */
  generation = 0;
  constructor(private readonly base: Omit<PathContext, 'modules'>) {}
  addDirs(dirs: string[]): void {
    const fresh = dirs.filter((d) => d && !this.seen.has(d));
    if (!fresh.length) return;
    this.generation++;
    fresh.forEach((d) => this.seen.add(d));
    const byDir = new Map(this.modules.map((m) => [m.dir, m]));
    for (const m of findModules(fresh)) byDir.set(m.dir, m);
    this.modules = [...byDir.values()].sort((a, b) => b.path.length - a.path.length);
  }
  ctx(): PathContext {
    return { ...this.base, modules: this.modules };
  }
  modulePaths(): string[] {
    return this.modules.map((m) => m.path);
  }
}

/** Reads every process file of `dir` into `visitor`; returns what could not be read. */
export async function readRun(dir: string, visitor: RunVisitor, opts: ReadOptions = {}): Promise<ReadStats> {
  const fs = opts.fs ?? nodeRunFs;
  const stats: ReadStats = { files: 0, badLines: 0, lostEvents: 0, unreadableFiles: 0, events: 0 };
  const paths = new PathResolver({ goroot: opts.goroot, gomodcache: opts.gomodcache });
  paths.addDirs(opts.cwds ?? []);
  const stackIds = new Map<string, string>();
  const stackLines = new Map<string, LocalStack>();
  const strings = new StringTable();
  const files = await processFiles(dir, fs);
  for (let i = 0; i < files.length; i++) {
    stats.files++;
    try {
      await readProcessFile(join(dir, files[i]), i, { dir, visitor, stats, paths, stackIds, fs, strings, stackLines, writtenKeys: opts.writtenKeys ?? false });
    } catch (e) {
      // The file vanished or cannot be read (pruned, permissions, not a regular file): count it, keep the rest.
      if ((e as NodeJS.ErrnoException).code === undefined) throw e;
      stats.unreadableFiles++;
      if (e instanceof UnreadableFile) (stats.notes ??= []).push(`${files[i]}: ${e.reason}`);
    }
  }
  return stats;
}

interface FileState {
  /** The run directory: process files are read only inside it. */
  dir: string;
  visitor: RunVisitor;
  stats: ReadStats;
  paths: PathResolver;
  stackIds: Map<string, string>;
  fs: RunFs;
  strings: StringTable;
  /**
   * Stack lines already read, without their per-process id, with what they resolved to: the
   * processes of a fleet run (hundreds of pods of one program) repeat the same stacks, which
   * are then neither parsed nor mapped again (the facts are shared too).
   */
  stackLines: Map<string, LocalStack>;
  /** Scan the file for the keys it writes before reading it (ProcessInfo.writtenKeys). */
  writtenKeys: boolean;
}

/** Stack lines remembered per run (beyond it each is read as usual). */
const MAX_STACK_LINES = 100_000;
const STACK_LINE = /^\{"t":"S","id":(\d+),/;

/** A stack known in one process: run-wide id and what it tells. */
interface LocalStack {
  id: string;
  /** The recorder's name for the API, when it gives one. */
  api: string | undefined;
  frames: Frame[];
  facts: Map<Op, StackFacts>;
  lastOp: Op | undefined;
  lastFacts: StackFacts | undefined;
}

type StackFacts = ReturnType<typeof stackFacts>;

async function readProcessFile(file: string, index: number, st: FileState): Promise<void> {
  const { visitor, stats, paths } = st;
  const name = /([^/\\]+)$/.exec(file)![1];
  const [, pidText, startText] = PROCESS_FILE.exec(name)!;
  let proc: ProcessInfo | null = null;
  let mono = 0;
  let wall = 0;
  const stacks = new Map<number, LocalStack>();
  const parents = new Map<number, number>();
  const tests = new Map<number, string>();
  const testOf = new Map<number, string | null>();
  const pending = new Map<number, EventRecord[]>();
  const written = st.writtenKeys ? await writtenKeysOf(file, st.dir, st.fs) : undefined;

  const start = (rec: ProcessRecord | null) => {
    mono = rec?.mono ?? 0;
    wall = rec?.wall ?? Number(startText);
    proc = {
      index,
      file,
      pid: rec?.pid ?? Number(pidText),
      ppid: rec?.ppid ?? 0,
      parent: rec?.parent ?? 0,
      argv: rec?.argv ?? [],
      cwd: rec?.cwd ?? '',
      goVersion: rec?.go ?? '',
      goos: rec?.os ?? '',
      goarch: rec?.arch ?? '',
      start: wall / 1e6,
      end: wall / 1e6,
      env: rec?.env ?? [],
      ...(rec?.where ? { where: rec.where } : {}),
      events: 0,
      maxSeq: 0,
      ...(written ? { writtenKeys: written } : {}),
    };
    paths.addDirs([proc.cwd]);
    visitor.process?.(proc);
  };

  const findTest = (g: number): string | undefined => {
    const chain: number[] = [];
    let found: string | null = null;
    for (let cur = g, n = 0; cur && n < 64; n++) {
      const cached = testOf.get(cur);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      chain.push(cur);
      const t = tests.get(cur);
      if (t) {
        found = t;
        break;
      }
      cur = parents.get(cur) ?? 0;
    }
    for (const c of chain) testOf.set(c, found);
    return found ?? undefined;
  };

  const emit = (r: EventRecord): void | Promise<void> => {
    const p = proc!;
    const local = r.s === undefined ? undefined : stacks.get(r.s);
    let facts: StackFacts | undefined;
    if (local) {
      // A stack is nearly always used by one op: the last one's facts are kept at hand.
      facts = local.lastOp === r.op ? local.lastFacts : local.facts.get(r.op);
      if (!facts) {
        facts = stackFacts(local.frames, r.op, paths.modulePaths());
        local.facts.set(r.op, facts);
      }
      local.lastOp = r.op;
      local.lastFacts = facts;
    }
    // A write appended after the scan (the file still grows: a live run) is in the set from now on.
    if (written !== undefined && r.k !== undefined && (r.op === 'setenv' || r.op === 'unsetenv')) written.add(r.k);
    const redacted = r.v === undefined && r.h !== undefined;
    const t1 = r.t1 ?? r.t0 + (r.d ?? 0);
    // NOTE: every field is set, in one order, so all events share one hidden class
    // (visitors read them a million times; optional fields added later make that slow).
    const e: RunEvent = {
      pid: p.pid,
      seq: r.seq,
      goroutine: r.g,
      parentGoroutine: r.pg ?? 0,
      op: r.op,
      key: r.k,
      // Recorders since issue 17 leave out ok:true when a value (v, or h when redacted) is present.
      found: r.ok ?? (r.v !== undefined || r.h !== undefined),
      value: r.v,
      redacted,
      hash: redacted ? r.h : undefined,
      length: redacted ? (validCount(r.n) ? r.n : undefined) : undefined,
      entropyBits: redacted && validCount(r.bits) ? r.bits : undefined,
      error: r.err,
      t0: r.t0,
      t1,
      time: (wall + (r.t0 - mono)) / 1e6,
      // NOTE: recorders before the cleanup entries of etPublic named t.Setenv's cleanup
      // `os.Setenv`/`os.Unsetenv`; the stack (facts) knows better.
      api: r.api ?? (facts && isTestSetenv(facts.api) ? facts.api : local?.api) ?? facts?.api ?? fallbackApi(r.op),
      stack: local?.id ?? null,
      user: facts?.user ?? null,
      writeGen: r.wg ?? 0,
      writeInFlight: r.wf ?? false,
      test: tests.size ? findTest(r.g) : undefined,
      path: r.path,
      argv: r.argv,
      childPid: r.cpid,
      weight: r.w ?? 1,
      race: r.race,
    };
    p.events++;
    stats.events++;
    // A seq no recorder writes (fractional, huge) would invent lost events: it is not counted.
    if (r.seq > p.maxSeq && r.seq <= MAX_SEQ && Number.isInteger(r.seq)) p.maxSeq = r.seq;
    const end = (wall + (t1 - mono)) / 1e6;
    if (end > p.end) p.end = end;
    return visitor.event?.(e, p);
  };

  const addStack = async (localId: number, local: LocalStack) => {
    stacks.set(localId, local);
    const waiting = pending.get(localId);
    if (waiting) {
      pending.delete(localId);
      for (const w of waiting) await emit(w);
    }
  };

  const noteGoroutine = (g: number, pg: number, start?: number) => {
    if (!g || (parents.has(g) && start === undefined)) return;
    parents.set(g, pg);
    visitor.goroutine?.(proc!.pid, g, pg, start);
  };

  const fast = { end: 0 };
  let long = 0;
  const skipped = () => {
    long++;
    stats.badLines++;
  };
  for await (const chunk of st.fs.chunks(file, st.dir, skipped)) {
    const size = chunk.length;
    for (let at = 0; at < size; at = fast.end + 1) {
      // Event lines of the recorder's plain shape skip decoding and JSON.parse (fastEvent.ts).
      if (chunk[at] === 0) {
        // The zero tail of a mapped process file, or the bytes a killed writer had reserved
        // but not filled (docs/FORMATS.md section 2): not a line; the next record follows.
        fast.end = zeroRunEnd(chunk, at, size) - 1;
        continue;
      }
      let rec: RecorderLine | null | undefined = chunk[at] === 123 ? fastEvent(chunk, at, size, st.strings, fast) : undefined;
      let stackLine: string | undefined;
      if (rec === undefined) {
        fast.end = lineEnd(chunk, at, size);
        const line = chunk.toString('utf8', at, fast.end);
        if (line.trim() === '') continue;
        const s = proc ? STACK_LINE.exec(line) : null;
        if (s) {
          stackLine = `${paths.generation}\0${line.slice(s[0].length)}`;
          const known = st.stackLines.get(stackLine);
          if (known) {
            await addStack(Number(s[1]), known);
            continue;
          }
        }
        rec = parseLine(line);
      }
      if (rec === null) {
        stats.badLines++;
        if (!proc) start(null);
        continue;
      }
      if (rec.t === 'P') {
        if (rec.v > SUPPORTED_VERSION) {
          stats.unreadableFiles++;
          (stats.notes ??= []).push(`${name}: process record version ${rec.v}, newer than this envtrace reads (${SUPPORTED_VERSION})`);
          return;
        }
        if (proc) stats.badLines++;
        else start(rec);
        continue;
      }
      if (!proc) {
        stats.badLines++; // the process record is missing: keep the rest, named after the file
        start(null);
      }
      if (rec.t === 'S') {
        // An impossible line (0, negative, fractional, huge) is kept as 0: "invalid", never shown as given.
        const frames = rec.f.map(([fn, f, l]) => ({ function: fn, file: absoluteFile(f, paths.ctx()), line: validLine(l) ? l : 0 }));
        const text = JSON.stringify(frames);
        let id = st.stackIds.get(text);
        if (id === undefined) {
          id = String(st.stackIds.size + 1);
          st.stackIds.set(text, id);
          visitor.stack?.(id, frames);
        }
        const local: LocalStack = { id, api: rec.api, frames, facts: new Map(), lastOp: undefined, lastFacts: undefined };
        if (stackLine !== undefined && st.stackLines.size < MAX_STACK_LINES) st.stackLines.set(stackLine, local);
        await addStack(rec.id, local);
      } else if (rec.t === 'V') {
        // Without --full-env the process record has no environment; the first os.Environ
        // call writes it. proc.env is shared with the process already handed to the visitor.
        const env = proc!.env; // proc is set above
        if (env.length === 0) for (const e of rec.env) env.push(e);
      } else if (rec.t === 'T') {
        tests.set(rec.g, rec.name);
        noteGoroutine(rec.g, rec.pg, rec.t0 || undefined);
      } else if (rec.t !== 'E') {
        visitor.mark?.(proc!.pid, rec.g, rec.t, rec.at);
      } else {
        noteGoroutine(rec.g, rec.pg ?? 0);
        if (rec.s !== undefined && !stacks.has(rec.s)) {
          // Written by another goroutine whose stack line has not landed yet.
          const list = pending.get(rec.s) ?? [];
          list.push(rec);
          pending.set(rec.s, list);
        } else {
          const wait = emit(rec);
          if (wait) await wait;
        }
      }
    }
  }
  if (long) (stats.notes ??= []).push(`${name}: ${long} line${long === 1 ? '' : 's'} longer than ${megabytes(MAX_LINE)} skipped`);
  if (!proc) {
    stats.unreadableFiles++;
    (stats.notes ??= []).push(`${name}: no process record (empty or not a process file)`);
    return;
  }
  for (const list of pending.values()) {
    for (const r of list) await emit({ ...r, s: undefined });
  }
  const p: ProcessInfo = proc;
  stats.lostEvents += Math.max(0, p.maxSeq - p.events);
  visitor.processEnd?.(p);
}

/** The end of the run of zero bytes at `at`. */
function zeroRunEnd(b: Buffer, at: number, size: number): number {
  let i = at;
  while (i < size && b[i] === 0) i++;
  return i;
}

/** Where the line at `at` ends: its newline, or a zero byte (a record cut short in a mapped file). */
function lineEnd(b: Buffer, at: number, size: number): number {
  const nl = b.indexOf(10, at);
  const end = nl < 0 ? size : nl;
  const zero = b.subarray(at, end).indexOf(0);
  return zero >= 0 ? at + zero : end;
}

function fallbackApi(op: Op): string {
  return op === 'getenv' || op === 'setenv' || op === 'unsetenv' || op === 'clearenv' || op === 'environ'
    ? 'syscall.' + op[0].toUpperCase() + op.slice(1)
    : op === 'spawn'
      ? 'syscall.StartProcess'
      : 'syscall.Exec';
}
