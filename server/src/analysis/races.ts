/**
 * Env races found by analysis of a normal trace (DESIGN.md "Races"). The syscall package
 * serialises env access with a lock, so the Go race detector never reports these; here:
 * - definite: an access happened while another goroutine's write to the key was in flight;
 * - likely: one goroutine observed several write generations of the key, caused by another;
 * - possible: a write and an access by different goroutines within POSSIBLE_WINDOW_NS,
 *   except when the writer is an ancestor of the accessor and wrote before it started (or
 *   the mirror case), the write came before the accessor's test started, or the write is
 *   testing.T.Setenv (the testing package forbids it in parallel tests).
 * Memory: per key and process, the writes (capped) and one summary per accessing goroutine.
 */
import type { RaceParty, ReportRace } from '../runs/report';
import type { RunEvent } from '../runs/reader';
import type { Op } from '../runs/records';

/** How close in time (ns) a write and an access of different goroutines must be to be "possible". */
export const POSSIBLE_WINDOW_NS = 50_000_000;
const MAX_WRITES = 10_000;
const MAX_PARTIES = 10;

interface Write {
  g: number;
  t0: number;
  t1: number;
  /** The generation this write produced (completed writes before it + 1). */
  gen: number;
  ordered: boolean;
  acc: Accessor;
  op: Op;
}

interface Party {
  g: number;
  op: Op;
  api: string;
  file: string | null;
  line: number | null;
  count: number;
}

/** One goroutine's accesses of one key in one process. Flat: there can be one per key × goroutine. */
interface Accessor {
  g: number;
  count: number;
  first: number;
  last: number;
  minGen: number;
  maxGen: number;
  inFlight: boolean;
  /** The first read and the first write, as race parties (created only when reported). */
  readApi: string | null;
  readFile: string | null;
  readLine: number | null;
  reads: number;
  writeApi: string | null;
  writeOp: Op;
  writeFile: string | null;
  writeLine: number | null;
  writes: number;
}

interface KeyInProcess {
  writes: Write[];
  accessors: Map<number, Accessor>;
  /** The accessor of the previous event (loops read one key from one goroutine many times). */
  last?: Accessor;
}

const LEVELS = { possible: 1, likely: 2, definite: 3 } as const;
type Level = keyof typeof LEVELS;

/** What is known of one goroutine: its parent, first event, and start (from a test record). */
interface GState {
  pg: number;
  first: number;
  start: number | undefined;
}

/** Collects what race analysis needs while a run streams by; `races()` gives the verdicts. */
export class RaceCollector {
  private readonly keys = new Map<string, Map<number, KeyInProcess>>();
  private readonly procs = new Map<number, Map<number, GState>>();
  // One-entry caches: consecutive events mostly come from the same process and key.
  private lastPid = -1;
  private lastProc: Map<number, GState> = new Map();
  private lastKey: string | undefined;
  private lastKeyPid = -1;
  private lastKp: KeyInProcess | undefined;

  private proc(pid: number): Map<number, GState> {
    if (pid === this.lastPid) return this.lastProc;
    let m = this.procs.get(pid);
    if (!m) this.procs.set(pid, (m = new Map()));
    this.lastPid = pid;
    this.lastProc = m;
    return m;
  }

  /** Records a goroutine's parent (and its start time when known). */
  goroutine(pid: number, g: number, pg: number, start?: number): void {
    const m = this.proc(pid);
    const s = m.get(g);
    if (!s) m.set(g, { pg, first: Infinity, start });
    else if (start !== undefined) s.start = start;
  }

  /** Adds one event; any event dates its goroutine's start, keyed reads and writes are analysed. */
  add(e: RunEvent): void {
    const m = this.proc(e.pid);
    let gs = m.get(e.goroutine);
    if (!gs) m.set(e.goroutine, (gs = { pg: e.parentGoroutine, first: e.t0, start: undefined }));
    else if (e.t0 < gs.first) gs.first = e.t0;
    if (e.key === undefined || (e.op !== 'getenv' && e.op !== 'setenv' && e.op !== 'unsetenv')) return;
    let kp: KeyInProcess | undefined;
    if (e.key === this.lastKey && e.pid === this.lastKeyPid) kp = this.lastKp!;
    else {
      let byPid = this.keys.get(e.key);
      if (!byPid) this.keys.set(e.key, (byPid = new Map()));
      kp = byPid.get(e.pid);
      if (!kp) byPid.set(e.pid, (kp = { writes: [], accessors: new Map() }));
      this.lastKey = e.key;
      this.lastKeyPid = e.pid;
      this.lastKp = kp;
    }
    const write = e.op !== 'getenv';
    let a = kp.last !== undefined && kp.last.g === e.goroutine ? kp.last : kp.accessors.get(e.goroutine);
    if (!a) {
      a = {
        g: e.goroutine, count: 0, first: e.t0, last: e.t1, minGen: e.writeGen, maxGen: e.writeGen, inFlight: false,
        readApi: null, readFile: null, readLine: null, reads: 0, writeApi: null, writeOp: 'setenv', writeFile: null, writeLine: null, writes: 0,
      };
      kp.accessors.set(e.goroutine, a);
    }
    kp.last = a;
    a.count++;
    if (e.t0 < a.first) a.first = e.t0;
    if (e.t1 > a.last) a.last = e.t1;
    if (e.writeGen < a.minGen) a.minGen = e.writeGen;
    const gen = write ? e.writeGen + 1 : e.writeGen;
    if (gen > a.maxGen) a.maxGen = gen;
    if (e.writeInFlight) a.inFlight = true;
    if (write) {
      if (a.writes++ === 0) {
        a.writeApi = e.api;
        a.writeOp = e.op;
        a.writeFile = e.user?.file ?? null;
        a.writeLine = e.user?.line ?? null;
      }
      if (kp.writes.length < MAX_WRITES) kp.writes.push({ g: e.goroutine, t0: e.t0, t1: e.t1, gen: e.writeGen + 1, ordered: e.api.startsWith('testing.'), acc: a, op: e.op });
    } else if (a.reads++ === 0) {
      a.readApi = e.api;
      a.readFile = e.user?.file ?? null;
      a.readLine = e.user?.line ?? null;
    }
  }

  /** The race verdict per key (keys without a race are absent). */
  races(): Map<string, ReportRace> {
    const out = new Map<string, ReportRace>();
    for (const [key, byPid] of this.keys) {
      const r = this.keyRace(key, byPid);
      if (r) out.set(key, r);
    }
    return out;
  }

  /** When goroutine g started: its test record, else its first event. */
  private startOf(pid: number, g: number, fallback: number): number {
    const s = this.procs.get(pid)?.get(g);
    return s?.start ?? (s && s.first !== Infinity ? s.first : fallback);
  }

  /** Start time of the test that goroutine g (or its nearest ancestor) runs; -Infinity when none. */
  private testStartOf(pid: number, g: number): number {
    const gs = this.procs.get(pid);
    for (let cur = g, n = 0; cur && n < 10_000; n++) {
      const s = gs?.get(cur);
      if (!s) break;
      if (s.start !== undefined) return s.start;
      cur = s.pg;
    }
    return -Infinity;
  }

  private isAncestor(pid: number, anc: number, g: number): boolean {
    const gs = this.procs.get(pid);
    for (let cur = gs?.get(g)?.pg ?? 0, n = 0; cur && n < 10_000; n++, cur = gs?.get(cur)?.pg ?? 0) {
      if (cur === anc) return true;
    }
    return false;
  }

  private keyRace(key: string, byPid: Map<number, KeyInProcess>): ReportRace | null {
    let best: { level: Level; w: Write; a: Accessor; pid: number } | null = null;
    const writers = new Map<string, RaceParty>();
    const readers = new Map<string, RaceParty>();
    for (const [pid, kp] of byPid) {
      if (!kp.writes.length) continue;
      for (const a of kp.accessors.values()) {
        const start = this.startOf(pid, a.g, a.first);
        const testStart = this.testStartOf(pid, a.g);
        for (const w of kp.writes) {
          if (w.g === a.g || w.ordered) continue;
          if (w.t1 <= start && this.isAncestor(pid, w.g, a.g)) continue;
          // The testing package starts a test only after the previous sequential test ended, and
          // after TestMain's setup: a write before the accessor's test started is ordered.
          if (w.t1 <= testStart) continue;
          // The mirror case: all of an ancestor's accesses came before the writer goroutine started.
          if (a.last <= this.startOf(pid, w.g, w.t0) && this.isAncestor(pid, a.g, w.g)) continue;
          let level: Level | null = null;
          if (a.inFlight) level = 'definite';
          else if (w.gen > a.minGen && w.gen <= a.maxGen && a.count > 1) level = 'likely';
          else if (Math.max(0, a.first - w.t1, w.t0 - a.last) <= POSSIBLE_WINDOW_NS) level = 'possible';
          if (!level) continue;
          addParty(writers, pid, writerParty(w));
          addParty(readers, pid, accessorParty(a));
          const better = !best || LEVELS[level] > LEVELS[best.level] || (LEVELS[level] === LEVELS[best.level] && a.reads > 0 && best.a.reads === 0);
          if (better) best = { level, w, a, pid };
        }
      }
    }
    if (!best) return null;
    const wp = writerParty(best.w);
    const side = accessorParty(best.a);
    const at = (p: Party) => (p.file ? ` at ${p.file}:${p.line}` : '');
    const how =
      best.level === 'definite'
        ? 'while a write to it was in flight'
        : best.level === 'likely'
          ? 'and saw its value change between accesses'
          : 'close in time, with no ordering envtrace can see';
    return {
      level: best.level,
      detail: `goroutine ${best.w.g} writes ${key}${at(wp)} (${wp.api}); goroutine ${best.a.g} ${side.op === 'getenv' ? 'reads' : 'writes'} it${at(side)} (${side.api}) ${how} (pid ${best.pid})`,
      writers: [...writers.values()].slice(0, MAX_PARTIES),
      readers: [...readers.values()].slice(0, MAX_PARTIES),
    };
  }
}

function writerParty(w: Write): Party {
  const a = w.acc;
  return { g: w.g, op: w.op, api: a.writeApi ?? '', file: a.writeFile, line: a.writeLine, count: a.writes };
}

/** The accessor as a race party: its reads when it read, else its writes. */
function accessorParty(a: Accessor): Party {
  return a.reads > 0
    ? { g: a.g, op: 'getenv', api: a.readApi ?? '', file: a.readFile, line: a.readLine, count: a.reads }
    : { g: a.g, op: a.writeOp, api: a.writeApi ?? '', file: a.writeFile, line: a.writeLine, count: a.writes };
}

function addParty(into: Map<string, RaceParty>, pid: number, p: Party): void {
  const id = `${pid}/${p.g}/${p.op}`;
  if (!into.has(id)) into.set(id, { pid, goroutine: p.g, op: p.op, api: p.api, file: p.file, line: p.line, count: p.count });
}
