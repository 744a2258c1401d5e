/**
 * The JSON report (`envtrace report --format json`, `envtrace run --format=json`):
 * a stable format that tests and other tools read. docs/FORMATS.md section 3.
 */
import type { Op, ProcessWhere, RaceLevel } from './records';
import type { GoCommandConfig } from './goConfig';

/** One traced process. Times are Unix milliseconds. */
export interface ReportProcess {
  pid: number;
  ppid: number;
  /** The pid of the nearest traced ancestor, or null. */
  parent: number | null;
  argv: string[];
  cwd: string;
  start: number;
  /** Time of the process's last recorded event (the recorder writes no exit record). */
  end: number;
  /** "go-command" for a go command traced by `envtrace run` (absent for other programs). */
  kind?: 'go-command';
  /** A go command's subcommand, arguments and resolved configuration. */
  goCommand?: GoCommandConfig;
  /** Where it ran (host, container, pod, namespace, service), when the recorder knew. */
  where?: ProcessWhere;
}

/** One stack frame. `file` is absolute whenever it can be mapped (trimpath builds included). */
export interface ReportFrame {
  function: string;
  file: string;
  line: number;
}

/** One env access. */
export interface ReportEvent {
  seq: number;
  pid: number;
  goroutine: number;
  parentGoroutine: number;
  /** Unix milliseconds (fractional) at entry. */
  time: number;
  op: Op;
  api: string;
  /** Absent for clearenv, environ, spawn, exec. */
  key?: string;
  found: boolean;
  /** The value read or written; absent when redacted or when there is none. */
  value?: string;
  redacted: boolean;
  /** When redacted: keyed hash prefix and length in bytes. */
  hash?: string;
  length?: number;
  error?: string;
  /** First frame outside the standard library; null when the stack has none. */
  file: string | null;
  line: number | null;
  function: string | null;
  /** Key into the report's `stacks`; null for the runtime's early reads. */
  stack: string | null;
  /** Name of the test that made the access (go test binaries). */
  test?: string;
  /** spawn/exec: program path, argv, and the child's pid (spawn). */
  path?: string;
  argv?: string[];
  childPid?: number;
  /** Accesses this event stands for, when more than one (an imported aggregate: FORMATS section 8). */
  count?: number;
}

/** One observed value of a key: the value in clear or its hash, and how often. */
export interface ReportValue {
  value?: string;
  hash?: string;
  length: number;
  count: number;
}

/** A place that accessed a key. */
export interface ReportSite {
  file: string;
  line: number;
  count: number;
}

/** One side of a race. */
export interface RaceParty {
  pid: number;
  goroutine: number;
  op: Op;
  api: string;
  file: string | null;
  line: number | null;
  count: number;
}

/** A race on one key. */
export interface ReportRace {
  level: RaceLevel;
  detail: string;
  writers: RaceParty[];
  readers: RaceParty[];
}

/** Everything observed about one key. */
export interface ReportVar {
  key: string;
  reads: number;
  writes: number;
  unsetReads: number;
  values: ReportValue[];
  sites: ReportSite[];
  race: ReportRace | null;
}

/** Reading problems: lines that could not be parsed, events lost (gaps in seq), what was skipped. */
export interface ReportProblems {
  badLines: number;
  lostEvents: number;
  /** Process files with a version this reader does not know, or with no process record. */
  unreadableFiles: number;
  /** What was skipped and why, one `<file>: <reason>` each (the text report's `envtrace: skipped …` lines). */
  notes: string[];
}

/** The whole report. Field order as documented in the issue; `problems` is an addition. */
export interface Report {
  version: 1;
  id: string;
  label: string | null;
  command: string[];
  cwd: string;
  exitCode: number | null;
  runDir: string;
  goVersion: string | null;
  processes: ReportProcess[];
  stacks: Record<string, ReportFrame[]>;
  events: ReportEvent[];
  vars: ReportVar[];
  /** The run at a glance, by the one definition of runs/keyCount.ts (what the editor's status bar shows). */
  counts: ReportCounts;
  problems: ReportProblems;
}

/** `keys` the program read, `unset` of them found unset, `races` keys with a race, `processes` traced. */
export interface ReportCounts {
  keys: number;
  unset: number;
  races: number;
  processes: number;
}
