/**
 * Env races found by analysis of a normal trace (DESIGN.md "Races"). The syscall package
 * serialises env access with a lock, so the Go race detector never reports these; here:
 * - definite: an access happened while another goroutine's write to the key was in flight;
 * - likely: one goroutine observed several write generations of the key, caused by another;
 * - possible: a write and an access by different goroutines within POSSIBLE_WINDOW_NS,
 *   except when the writer is an ancestor of the accessor and wrote before it started,
 *   or the write is testing.T.Setenv (the testing package forbids it in parallel tests).
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
  party: Party;
}

interface Party {
  g: number;
  op: Op;
  api: string;
  file: string | null;
  line: number | null;
  count: number;
}

interface Accessor {
  g: number;
  count: number;
  first: number;
  last: number;
  minGen: number;
  maxGen: number;
  inFlight: boolean;
  reads: Party | null;
  writes: Party | null;
}

interface KeyInProcess {
  writes: Write[];
  accessors: Map<number, Accessor>;
}

const LEVELS = { possible: 1, likely: 2, definite: 3 } as const;
type Level = keyof typeof LEVELS;

/** Collects what race analysis needs while a run streams by; `races()` gives the verdicts. */
export class RaceCollector {
  private readonly keys = new Map<string, Map<number, KeyInProcess>>();
  private readonly parents = new Map<number, Map<number, number>>();
  private readonly starts = new Map<number, Map<number, number>>();
  private readonly firstSeen = new Map<number, Map<number, number>>();

  /** Records a goroutine's parent (and its start time when known). */
  goroutine(pid: number, g: number, pg: number, start?: number): void {
    let m = this.parents.get(pid);
    if (!m) this.parents.set(pid, (m = new Map()));
    if (!m.has(g)) m.set(g, pg);
    if (start !== undefined) {
      let s = this.starts.get(pid);
      if (!s) this.starts.set(pid, (s = new Map()));
      s.set(g, start);
    }
  }

  /** Adds one event; any event dates its goroutine's start, keyed reads and writes are analysed. */
  add(e: RunEvent): void {
    let first = this.firstSeen.get(e.pid);
    if (!first) this.firstSeen.set(e.pid, (first = new Map()));
    const seen = first.get(e.goroutine);
    if (seen === undefined || e.t0 < seen) first.set(e.goroutine, e.t0);
    if (e.key === undefined || (e.op !== 'getenv' && e.op !== 'setenv' && e.op !== 'unsetenv')) return;
    this.goroutine(e.pid, e.goroutine, e.parentGoroutine);
    let byPid = this.keys.get(e.key);
    if (!byPid) this.keys.set(e.key, (byPid = new Map()));
    let kp = byPid.get(e.pid);
    if (!kp) byPid.set(e.pid, (kp = { writes: [], accessors: new Map() }));
    const write = e.op !== 'getenv';
    let a = kp.accessors.get(e.goroutine);
    if (!a) {
      a = { g: e.goroutine, count: 0, first: e.t0, last: e.t1, minGen: e.writeGen, maxGen: e.writeGen, inFlight: false, reads: null, writes: null };
      kp.accessors.set(e.goroutine, a);
    }
    a.count++;
    a.first = Math.min(a.first, e.t0);
    a.last = Math.max(a.last, e.t1);
    a.minGen = Math.min(a.minGen, e.writeGen);
    a.maxGen = Math.max(a.maxGen, write ? e.writeGen + 1 : e.writeGen);
    a.inFlight ||= e.writeInFlight;
    const side = write ? 'writes' : 'reads';
    const party = (a[side] ??= { g: e.goroutine, op: e.op, api: e.api, file: e.user?.file ?? null, line: e.user?.line ?? null, count: 0 });
    party.count++;
    if (write && kp.writes.length < MAX_WRITES) {
      kp.writes.push({ g: e.goroutine, t0: e.t0, t1: e.t1, gen: e.writeGen + 1, ordered: e.api.startsWith('testing.'), party });
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
    return this.starts.get(pid)?.get(g) ?? this.firstSeen.get(pid)?.get(g) ?? fallback;
  }

  private isAncestor(pid: number, anc: number, g: number): boolean {
    const parents = this.parents.get(pid);
    for (let cur = parents?.get(g) ?? 0, n = 0; cur && n < 10_000; n++, cur = parents?.get(cur) ?? 0) {
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
        for (const w of kp.writes) {
          if (w.g === a.g || w.ordered) continue;
          if (w.t1 <= start && this.isAncestor(pid, w.g, a.g)) continue;
          // The mirror case: all of an ancestor's accesses came before the writer goroutine started.
          if (a.last <= this.startOf(pid, w.g, w.t0) && this.isAncestor(pid, a.g, w.g)) continue;
          let level: Level | null = null;
          if (a.inFlight) level = 'definite';
          else if (w.gen > a.minGen && w.gen <= a.maxGen && a.count > 1) level = 'likely';
          else if (Math.max(0, a.first - w.t1, w.t0 - a.last) <= POSSIBLE_WINDOW_NS) level = 'possible';
          if (!level) continue;
          addParty(writers, pid, w.party);
          const side = a.reads ?? a.writes!;
          addParty(readers, pid, side);
          const better = !best || LEVELS[level] > LEVELS[best.level] || (LEVELS[level] === LEVELS[best.level] && a.reads !== null && best.a.reads === null);
          if (better) best = { level, w, a, pid };
        }
      }
    }
    if (!best) return null;
    const side = best.a.reads ?? best.a.writes!;
    const at = (p: Party) => (p.file ? ` at ${p.file}:${p.line}` : '');
    const how =
      best.level === 'definite'
        ? 'while a write to it was in flight'
        : best.level === 'likely'
          ? 'and saw its value change between accesses'
          : 'close in time, with no ordering envtrace can see';
    return {
      level: best.level,
      detail: `goroutine ${best.w.g} writes ${key}${at(best.w.party)} (${best.w.party.api}); goroutine ${best.a.g} ${side.op === 'getenv' ? 'reads' : 'writes'} it${at(side)} (${side.api}) ${how} (pid ${best.pid})`,
      writers: [...writers.values()].slice(0, MAX_PARTIES),
      readers: [...readers.values()].slice(0, MAX_PARTIES),
    };
  }
}

function addParty(into: Map<string, RaceParty>, pid: number, p: Party): void {
  const id = `${pid}/${p.g}/${p.op}`;
  if (!into.has(id)) into.set(id, { pid, goroutine: p.g, op: p.op, api: p.api, file: p.file, line: p.line, count: p.count });
}
