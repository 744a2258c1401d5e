/**
 * Env races found by analysis of a normal trace (DESIGN.md "Races", docs/FORMATS.md). The
 * syscall package serialises env access with a lock, so the Go race detector never reports
 * these. A write and an access of the same key by different goroutines of one process are a
 * race unless the edges of raceOrder.ts order them; the level says what the trace saw:
 * - definite: the access happened while the write was in flight;
 * - likely: the accessing goroutine saw the key before and after the write (it changed
 *   under it);
 * - possible: neither, but they were within POSSIBLE_WINDOW_NS of each other.
 * `testing.T.Setenv` (its write, the lookup of the old value and the cleanup that restores
 * it) is never a party: the testing package forbids it in parallel tests.
 * Memory: per key and process, the writes (capped) and per accessing goroutine one span of
 * times per write generation it saw.
 */
import type { RaceParty, ReportRace } from '../runs/report';
import type { RunEvent } from '../runs/reader';
import type { GoroutineMark, Op } from '../runs/records';
import { isTestSetenv } from '../runs/frames';
import { Timeline } from './raceOrder';
import { ImportedRaces } from './importedRaces';

/** How close in time (ns) an unordered write and access must be to be "possible". */
export const POSSIBLE_WINDOW_NS = 50_000_000;
const MAX_WRITES = 10_000;
const MAX_SPANS = 1_000;
const MAX_IN_FLIGHT = 64;
const MAX_PARTIES = 10;

interface Write {
  g: number;
  t0: number;
  t1: number;
  /** The generation this write produced (completed writes before it + 1). */
  gen: number;
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

/** One goroutine's accesses of one key in one process. */
interface Accessor {
  g: number;
  count: number;
  /** Per write generation seen (ascending): the first and last access time. */
  gens: number[];
  firsts: number[];
  lasts: number[];
  /** Accesses made while another goroutine's write to the key was in flight: [t0, t1] pairs. */
  inFlight: number[];
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

/** Collects what race analysis needs while a run streams by; `races()` gives the verdicts. */
export class RaceCollector {
  private readonly keys = new Map<string, Map<number, KeyInProcess>>();
  private readonly timeline = new Timeline();
  // One-entry cache: consecutive events mostly come from the same process and key.
  private lastKey: string | undefined;
  private lastKeyPid = -1;
  private lastKp: KeyInProcess | undefined;
  /** Keys each process accessed, until its end (to forget those it only read). */
  private readonly keysOfPid = new Map<number, string[]>();
  /** Levels an imported run's source reported (importedRaces.ts). */
  private readonly imported = new ImportedRaces();

  /** Records a goroutine's parent (and its start time when a test record gives it). */
  goroutine(pid: number, g: number, pg: number, start?: number): void {
    this.timeline.goroutine(pid, g, pg, start);
  }

  /** Records a test end, t.Parallel pause or goroutine exit. */
  mark(pid: number, g: number, kind: GoroutineMark, at: number): void {
    this.timeline.mark(pid, g, kind, at);
  }

  /**
   * Adds one event; any event dates its goroutine's start, keyed reads and writes are analysed.
   * `written`: the keys the event's process may write (ProcessInfo.writtenKeys), when known:
   * the accesses of any other key are skipped (a race needs a write in the same process, and
   * processEnd forgets them anyway). NOTE: in a file that grew after the reader's scan (a live
   * run), reads of a key made before its first write past the scan are not analysed; the
   * next load of the run sees them.
   */
  add(e: RunEvent, written?: ReadonlySet<string>): void {
    this.timeline.event(e.pid, e.goroutine, e.parentGoroutine, e.t0);
    if (e.race !== undefined) this.imported.add(e);
    if (e.key === undefined || (e.op !== 'getenv' && e.op !== 'setenv' && e.op !== 'unsetenv') || isTestSetenv(e.api)) return;
    if (written !== undefined && !written.has(e.key)) return;
    let kp: KeyInProcess | undefined;
    if (e.key === this.lastKey && e.pid === this.lastKeyPid) kp = this.lastKp!;
    else {
      let byPid = this.keys.get(e.key);
      if (!byPid) this.keys.set(e.key, (byPid = new Map()));
      kp = byPid.get(e.pid);
      if (!kp) {
        byPid.set(e.pid, (kp = { writes: [], accessors: new Map() }));
        const keys = this.keysOfPid.get(e.pid);
        if (keys) keys.push(e.key);
        else this.keysOfPid.set(e.pid, [e.key]);
      }
      this.lastKey = e.key;
      this.lastKeyPid = e.pid;
      this.lastKp = kp;
    }
    const write = e.op !== 'getenv';
    let a = kp.last !== undefined && kp.last.g === e.goroutine ? kp.last : kp.accessors.get(e.goroutine);
    if (!a) {
      a = {
        g: e.goroutine, count: 0, gens: [], firsts: [], lasts: [], inFlight: [],
        readApi: null, readFile: null, readLine: null, reads: 0, writeApi: null, writeOp: 'setenv', writeFile: null, writeLine: null, writes: 0,
      };
      kp.accessors.set(e.goroutine, a);
    }
    kp.last = a;
    a.count++;
    noteSpan(a, e.writeGen, e.t0, e.t1);
    if (e.writeInFlight && a.inFlight.length < 2 * MAX_IN_FLIGHT) a.inFlight.push(e.t0, e.t1);
    if (write) {
      if (a.writes++ === 0) {
        a.writeApi = e.api;
        a.writeOp = e.op;
        a.writeFile = e.user?.file ?? null;
        a.writeLine = e.user?.line ?? null;
      }
      if (kp.writes.length < MAX_WRITES) kp.writes.push({ g: e.goroutine, t0: e.t0, t1: e.t1, gen: e.writeGen + 1, acc: a, op: e.op });
    } else if (a.reads++ === 0) {
      a.readApi = e.api;
      a.readFile = e.user?.file ?? null;
      a.readLine = e.user?.line ?? null;
    }
  }

  /**
   * A process's events are all in: forgets the keys it only read (a race needs a write in the
   * same process). Keeps a fleet of hundreds of processes × thousands of keys small.
   */
  processEnd(pid: number): void {
    for (const key of this.keysOfPid.get(pid) ?? []) {
      const byPid = this.keys.get(key);
      if (byPid?.get(pid)?.writes.length !== 0) continue;
      byPid.delete(pid);
      if (byPid.size === 0) this.keys.delete(key);
    }
    this.keysOfPid.delete(pid);
    if (this.lastKeyPid === pid) {
      this.lastKey = undefined;
      this.lastKeyPid = -1;
      this.lastKp = undefined;
    }
  }

  /** The race verdict per key (keys without a race are absent). */
  races(): Map<string, ReportRace> {
    const out = new Map<string, ReportRace>();
    for (const [key, byPid] of this.keys) {
      const r = this.keyRace(key, byPid);
      if (r) out.set(key, r);
    }
    this.imported.mergeInto(out, (key, race) => raceDetail(key, race, (f) => f));
    return out;
  }

  /** The level of the race between write w and accessor a, or null when they are ordered. */
  private pairLevel(pid: number, w: Write, a: Accessor): Level | null {
    // Spans of generations before w's happened before it completed; the others after it.
    let i = 0;
    while (i < a.gens.length && a.gens[i] < w.gen) i++;
    const before = i > 0 && !this.timeline.ordered(pid, a.g, a.lasts[i - 1], w.g, w.t0);
    const after = i < a.gens.length && !this.timeline.ordered(pid, w.g, w.t1, a.g, a.firsts[i]);
    if (!before && !after) return null;
    for (let j = 0; j < a.inFlight.length; j += 2) {
      if (a.inFlight[j] < w.t1 && a.inFlight[j + 1] > w.t0) return 'definite';
    }
    if (before && after) return 'likely';
    const gap = before ? w.t0 - a.lasts[i - 1] : a.firsts[i] - w.t1;
    return gap <= POSSIBLE_WINDOW_NS ? 'possible' : null;
  }

  private keyRace(key: string, byPid: Map<number, KeyInProcess>): ReportRace | null {
    let best: { level: Level; w: Write; a: Accessor; pid: number } | null = null;
    const writers = new Map<string, RaceParty>();
    const readers = new Map<string, RaceParty>();
    for (const [pid, kp] of byPid) {
      if (!kp.writes.length) continue;
      // A write or accessor is a party once: its id and object are built the first time only.
      const asWriter = new Set<Write>();
      for (const a of kp.accessors.values()) {
        let asReader = false;
        for (const w of kp.writes) {
          if (w.g === a.g) continue;
          const level = this.pairLevel(pid, w, a);
          if (!level) continue;
          if (!asWriter.has(w)) {
            asWriter.add(w);
            addParty(writers, pid, writerParty(w));
          }
          if (!asReader) {
            asReader = true;
            addParty(readers, pid, accessorParty(a));
          }
          const better = !best || LEVELS[level] > LEVELS[best.level] || (LEVELS[level] === LEVELS[best.level] && a.reads > 0 && best.a.reads === 0);
          if (better) best = { level, w, a, pid };
        }
      }
    }
    if (!best) return null;
    // The pair the detail names comes first in each list.
    const first = (m: Map<string, RaceParty>, p: Party) => {
      const id = partyId(best!.pid, p);
      const head = m.get(id)!;
      return [head, ...[...m.entries()].filter(([k]) => k !== id).map(([, v]) => v)].slice(0, MAX_PARTIES);
    };
    const race: ReportRace = { level: best.level, detail: '', writers: first(writers, writerParty(best.w)), readers: first(readers, accessorParty(best.a)) };
    race.detail = raceDetail(key, race, (f) => f);
    return race;
  }
}

/** Adds an access at [t0, t1] that saw write generation gen to a's spans. */
function noteSpan(a: Accessor, gen: number, t0: number, t1: number): void {
  const n = a.gens.length;
  if (n && a.gens[n - 1] === gen) {
    if (t1 > a.lasts[n - 1]) a.lasts[n - 1] = t1;
    if (t0 < a.firsts[n - 1]) a.firsts[n - 1] = t0;
  } else if (n && (a.gens[n - 1] > gen || n >= MAX_SPANS)) {
    // Out of order (not expected within one goroutine) or too many: widen the last span.
    a.firsts[n - 1] = Math.min(a.firsts[n - 1], t0);
    a.lasts[n - 1] = Math.max(a.lasts[n - 1], t1);
  } else {
    a.gens.push(gen);
    a.firsts.push(t0);
    a.lasts.push(t1);
  }
}

const HOW: Record<Level, string> = {
  definite: 'while a write to it was in flight',
  likely: 'and saw its value change between accesses',
  possible: 'close in time, with no ordering envtrace can see',
};

/** The sentence of a race: its first writer and first reader, files shown through `show`. */
export function raceDetail(key: string, race: ReportRace, show: (file: string) => string): string {
  const w = race.writers[0];
  const r = race.readers[0];
  if (!w || !r) return race.detail;
  const at = (p: RaceParty) => (p.file ? ` at ${show(p.file)}:${p.line}` : '');
  return `goroutine ${w.goroutine} writes ${key}${at(w)} (${w.api}); goroutine ${r.goroutine} ${r.op === 'getenv' ? 'reads' : 'writes'} it${at(r)} (${r.api}) ${HOW[race.level]} (pid ${w.pid})`;
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

function partyId(pid: number, p: Party): string {
  return `${pid}/${p.g}/${p.op}`;
}

function addParty(into: Map<string, RaceParty>, pid: number, p: Party): void {
  const id = partyId(pid, p);
  if (!into.has(id)) into.set(id, { pid, goroutine: p.g, op: p.op, api: p.api, file: p.file, line: p.line, count: p.count });
}
