/**
 * The parts of the CLI's JSON report (`envtrace report --format json`, issue 3) the client reads,
 * and summaries of it. No `vscode` import: unit tests load this file.
 */
import { isProgramRead, KeyCounter } from '../runs/keyCount';
import type { GoCommandConfig } from '../runs/goConfig';
import type { ProcessWhere } from '../runs/records';

export interface ReportValue {
  value?: string;
  hash?: string;
  length?: number;
  count: number;
}

export interface ReportVar {
  key: string;
  reads: number;
  writes: number;
  unsetReads: number;
  values: ReportValue[];
  sites: { file: string; line: number; count: number }[];
  race: null | { level: string; detail?: string };
}

export interface ReportProcess {
  pid: number;
  ppid?: number;
  parent: number | null;
  argv: string[];
  /** "go-command" for a go command envtrace traced (absent for programs). */
  kind?: 'go-command';
  /** A go command's subcommand, arguments and resolved configuration. */
  goCommand?: GoCommandConfig;
  /** Where it ran (FORMATS section 2): a fleet run's processes are grouped by service and pod. */
  where?: ProcessWhere;
}

export interface ReportEvent {
  pid: number;
  op: string;
  key?: string;
  api?: string;
  found?: boolean;
  value?: string;
  redacted?: boolean;
  length?: number;
  file?: string | null;
  line?: number | null;
}

export interface JsonReport {
  version: number;
  id: string;
  label?: string;
  command: string[];
  cwd: string;
  exitCode: number;
  processes: ReportProcess[];
  events?: ReportEvent[];
  vars: ReportVar[];
  /** The engine's counts (runs/keyCount.ts); absent in reports of older versions. */
  counts?: RunSummary;
}

/** Counts shown in the status bar and the run picker. */
export interface RunSummary {
  keys: number;
  unset: number;
  races: number;
  processes: number;
}

/**
 * Summarises a report by the engine's one definition of a run's keys (runs/keyCount.ts): its
 * `counts`, or the same rule applied to its events for reports written before `counts` existed.
 */
export function summarize(report: JsonReport): RunSummary {
  const processes = Array.isArray(report.processes) ? report.processes.filter((p) => p.kind !== 'go-command').length : 0;
  const vars = Array.isArray(report.vars) ? report.vars : [];
  const races = vars.filter((v) => v.race).length;
  if (report.counts && typeof report.counts.keys === 'number') return { ...report.counts, processes: report.counts.processes ?? processes };
  if (!Array.isArray(report.events)) {
    return { keys: vars.filter((v) => v.reads > 0).length, unset: vars.filter((v) => v.unsetReads > 0).length, races, processes };
  }
  const counter = new KeyCounter();
  for (const e of report.events) counter.add(e.key, e.op, e.api, e.found !== false);
  return { ...counter.counts(), races, processes };
}

/** The keys of a report the program read (the same rule as the counts), for the inventory. */
export function programKeys(report: JsonReport): Set<string> {
  const keys = new Set<string>();
  for (const e of report.events ?? []) if (e.key && isProgramRead(e.op, e.api)) keys.add(e.key);
  return keys;
}

/** `42 keys · 3 unset · 1 race`. */
export function summaryText(s: RunSummary): string {
  const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
  return `${plural(s.keys, 'key')} · ${s.unset} unset · ${plural(s.races, 'race')}`;
}

/** A value as shown to people: quoted, truncated, or `••• (N chars)` when redacted. */
export function showValue(v: ReportValue, max = 40): string {
  if (v.value === undefined) return `••• (${v.length ?? '?'} chars)`;
  const s = v.value.length > max ? `${v.value.slice(0, max - 1)}…` : v.value;
  return JSON.stringify(s);
}

/** Keys read by each process (by pid), by the same rule as the run's counts. */
export function keysByProcess(report: JsonReport): Map<number, string[]> {
  const m = new Map<number, KeyCounter>();
  for (const e of report.events ?? []) {
    let c = m.get(e.pid);
    if (!c) m.set(e.pid, (c = new KeyCounter()));
    c.add(e.key, e.op, e.api, e.found !== false);
  }
  return new Map([...m].map(([pid, c]) => [pid, c.keys()]));
}

/** What process `pid` read for `key` first: its value (redacted by length), or `unset`; and where. */
export function processRead(report: JsonReport, pid: number, key: string): { text: string; file?: string; line?: number } | undefined {
  const e = (report.events ?? []).find((x) => x.pid === pid && x.key === key && isProgramRead(x.op, x.api));
  if (!e) return undefined;
  const text = e.found === false ? 'unset' : `= ${showValue(e.redacted ? { length: e.length, count: 1 } : { value: e.value ?? '', count: 1 }, 24)}`;
  return { text, file: e.file ?? undefined, line: e.line ?? undefined };
}
