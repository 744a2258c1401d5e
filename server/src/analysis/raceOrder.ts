/**
 * The happens-before edges a normal trace lets envtrace see, per process (docs/FORMATS.md
 * "Races"). Without `-race` the tracer sees no channel, lock or WaitGroup, so race analysis
 * orders two accesses only by these observable facts:
 * - program order: accesses of one goroutine;
 * - `go` statements: an access before a goroutine started one of the ancestors of another
 *   goroutine comes before everything that goroutine does (a start is the test record's
 *   time, else the goroutine's first event);
 * - goroutine ends: every access of a goroutine that exited (`GX`), or of a test goroutine
 *   whose test ended (`TE`), comes before what its ancestors do after that (they may have
 *   waited for it: wg.Wait); siblings that merely ran later are not ordered by it;
 * - test structure: an access made while its test ran (its goroutine or a goroutine that
 *   test started, before the test ended, or before it paused in t.Parallel) comes before
 *   everything in a test that started after that end, and before what the test's ancestors
 *   (parent tests, the test runner) do after it. Tests that overlap (t.Parallel) are not
 *   ordered; a goroutine a test left running is ordered only up to the end of its test.
 */
import type { GoroutineMark } from '../runs/records';

interface GState {
  pg: number;
  /** First event (mono ns); Infinity until one is seen. */
  first: number;
  /** Test goroutines: the test's start, end and t.Parallel pause. */
  start?: number;
  end?: number;
  paused?: number;
  /** The goroutine exited (GX). */
  exit?: number;
}

const MAX_CHAIN = 10_000;

/** Goroutine ancestry, starts, test intervals and exits of the processes of one run. */
export class Timeline {
  private readonly procs = new Map<number, Map<number, GState>>();
  /** Processes with test-end records (recorders before them wrote only test starts). */
  private readonly withEnds = new Set<number>();
  private lastPid = -1;
  private lastProc = new Map<number, GState>();

  private proc(pid: number): Map<number, GState> {
    if (pid === this.lastPid) return this.lastProc;
    let m = this.procs.get(pid);
    if (!m) this.procs.set(pid, (m = new Map()));
    this.lastPid = pid;
    this.lastProc = m;
    return m;
  }

  private state(pid: number, g: number, pg = 0): GState {
    const m = this.proc(pid);
    let s = m.get(g);
    if (!s) m.set(g, (s = { pg, first: Infinity }));
    else if (pg && !s.pg) s.pg = pg;
    return s;
  }

  /** A goroutine's parent; `start` when a test record names it a test goroutine. */
  goroutine(pid: number, g: number, pg: number, start?: number): void {
    const s = this.state(pid, g, pg);
    if (start !== undefined) s.start = start;
  }

  /** An event of goroutine g at t0 (dates its start when it has no test record). */
  event(pid: number, g: number, pg: number, t0: number): void {
    const s = this.state(pid, g, pg);
    if (t0 < s.first) s.first = t0;
  }

  /** A test end, t.Parallel pause or goroutine exit. */
  mark(pid: number, g: number, kind: GoroutineMark, at: number): void {
    const s = this.state(pid, g);
    if (kind === 'TE') {
      s.end = at;
      this.withEnds.add(pid);
    } else if (kind === 'TP') s.paused = at;
    else s.exit = at;
  }

  /** True when an access of gx that ended at xt1 is ordered before one of gy starting at yt0. */
  ordered(pid: number, gx: number, xt1: number, gy: number, yt0: number): boolean {
    if (gx === gy) return true;
    const gs = this.procs.get(pid);
    if (!gs) return false;
    const x = gs.get(gx);
    if (!x) return false;
    // When x's goroutine ended: an ancestor of it (the goroutine that can have waited for it,
    // as wg.Wait does) is ordered after that. Siblings that merely ran later are not.
    const done = x.exit ?? (x.start !== undefined ? x.end : undefined);
    // The test x was made in, and the time up to which it is ordered as part of that test.
    const test = this.testOf(gs, gx);
    let testEnd = Infinity;
    if (test) {
      const t = gs.get(test)!;
      testEnd = t.paused !== undefined && xt1 <= t.paused ? t.paused : (t.end ?? Infinity);
    }
    const inTest = testEnd !== Infinity && xt1 <= testEnd;
    // Runs of recorders that wrote no test ends: a test that started after x is taken as
    // ordered after it (as those versions did; wrong only for parallel tests).
    const noEnds = !this.withEnds.has(pid);
    // Walk y's ancestry: `entry` is when y's line of descent left the goroutine `cur`.
    let entry = yt0;
    let exact = true; // entry is y's own time or a test record's start (first events come late)
    for (let cur = gy, n = 0; cur && n < MAX_CHAIN; n++) {
      if (cur === gx && entry >= xt1) return true; // a go statement after x
      const c = gs.get(cur);
      if (!c) break;
      if (done !== undefined && exact && entry >= done && cur !== gx && this.isAncestorOrSelf(gs, cur, gx)) return true;
      if (noEnds && c.start !== undefined && c.start >= xt1) return true;
      if (inTest) {
        // A test that started after x's test ended, or an ancestor waiting for x's test.
        if (c.start !== undefined && c.start >= testEnd) return true;
        if (entry >= testEnd && this.isAncestorOrSelf(gs, cur, test)) return true;
      }
      exact = c.start !== undefined;
      entry = c.start ?? (c.first !== Infinity ? c.first : entry);
      cur = c.pg;
    }
    return false;
  }

  /** The nearest test goroutine at or above g, or 0. */
  private testOf(gs: Map<number, GState>, g: number): number {
    for (let cur = g, n = 0; cur && n < MAX_CHAIN; n++) {
      const s = gs.get(cur);
      if (!s) return 0;
      if (s.start !== undefined) return cur;
      cur = s.pg;
    }
    return 0;
  }

  private isAncestorOrSelf(gs: Map<number, GState>, anc: number, g: number): boolean {
    for (let cur = g, n = 0; cur && n < MAX_CHAIN; n++) {
      if (cur === anc) return true;
      cur = gs.get(cur)?.pg ?? 0;
    }
    return false;
  }
}
