/** What the run reader hands its visitors: processes, resolved events, and its options and counts (reader.ts reads). */
import type { Frame } from './frames';
import type { GoroutineMark, Op, ProcessRecord, RaceLevel } from './records';
import type { RunFs } from './lines';

/** A traced process as read from its file, updated while its events stream by. */
export interface ProcessInfo {
  /** Order of the process in the run (files sorted by start time). */
  index: number;
  file: string;
  pid: number;
  ppid: number;
  /** Nearest traced ancestor's pid, or 0. */
  parent: number;
  argv: string[];
  cwd: string;
  goVersion: string;
  goos: string;
  goarch: string;
  /** Unix ms at start, and of the last event seen so far. */
  start: number;
  end: number;
  env: ProcessRecord['env'];
  /** Where the process ran, when its recorder said (docs/FORMATS.md section 2). */
  where?: ProcessRecord['where'];
  events: number;
  maxSeq: number;
  /**
   * With ReadOptions.writtenKeys: every key the process's file may write (setenv, unsetenv),
   * from a byte scan made before its events (runs/writtenKeys.ts; a superset), and every key
   * written by the events handed over so far (a file that grew after the scan). A key outside
   * it is not written by the process (up to the current event).
   */
  writtenKeys?: ReadonlySet<string>;
}

/** One access, resolved. The object is not reused: visitors may keep it. */
export interface RunEvent {
  pid: number;
  seq: number;
  goroutine: number;
  parentGoroutine: number;
  op: Op;
  key?: string;
  found: boolean;
  value?: string;
  redacted: boolean;
  hash?: string;
  length?: number;
  /** A secret key's value: its entropy estimate in bits, from the recorder (no value leaves the process). */
  entropyBits?: number;
  error?: string;
  /** CLOCK_MONOTONIC ns at entry/exit (comparable across processes of one machine). */
  t0: number;
  t1: number;
  /** Unix ms at entry. */
  time: number;
  api: string;
  /** Run-wide stack id, or null. */
  stack: string | null;
  /** First frame outside the standard library. */
  user: Frame | null;
  /** Completed writes to the key before the access; a write by another goroutine in flight. */
  writeGen: number;
  writeInFlight: boolean;
  test?: string;
  path?: string;
  argv?: string[];
  childPid?: number;
  /** Accesses this event stands for: 1, or an imported aggregate's count (records.ts `w`). */
  weight: number;
  /** An imported run's race level for this access's key in its process, as its source reported it (records.ts `race`). */
  race?: RaceLevel;
}

/** Receives a run's content in file order. */
export interface RunVisitor {
  process?(p: ProcessInfo): void;
  /** A stack seen for the first time in this run (ids are shared by identical stacks). */
  stack?(id: string, frames: Frame[]): void;
  /** May return a promise (e.g. to let a sink drain); the reader waits for it. */
  event?(e: RunEvent, p: ProcessInfo): void | Promise<void>;
  /** A goroutine's parent, as soon as it is known; `start` (mono ns) when a test record gives it. */
  goroutine?(pid: number, g: number, pg: number, start?: number): void;
  /** A test's end or t.Parallel pause, or a goroutine's exit (mono ns), in file order. */
  mark?(pid: number, g: number, kind: GoroutineMark, at: number): void;
  processEnd?(p: ProcessInfo): void;
}

/** What could not be read. */
export interface ReadStats {
  files: number;
  badLines: number;
  lostEvents: number;
  unreadableFiles: number;
  events: number;
  /** What was skipped and why, one line each (a FIFO, a symlink out of the run, over-long lines). */
  notes?: string[];
}

/** Options: where files of trimpath builds live, and which fs to use. */
export interface ReadOptions {
  fs?: RunFs;
  /** Directories to find go.mod files from (the run's cwd); process cwds are added. */
  cwds?: string[];
  goroot?: string;
  gomodcache?: string;
  /** Scan each process file for the keys it writes first (ProcessInfo.writtenKeys; for race analysis). */
  writtenKeys?: boolean;
}
