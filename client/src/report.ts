/**
 * The parts of the CLI's JSON report (`envtrace report --format json`, issue 3) the client reads,
 * and summaries of it. No `vscode` import: unit tests load this file.
 */

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
}

export interface ReportEvent {
  pid: number;
  op: string;
  key?: string;
  api?: string;
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
}

/** Counts shown in the status bar and the run picker. */
export interface RunSummary {
  keys: number;
  unset: number;
  races: number;
  processes: number;
}

/**
 * Keys touched only by the Go runtime's own start-up reads (GODEBUG, GOGC, …), which every
 * traced program makes; empty when the report has no events.
 */
export function runtimeOnlyKeys(report: JsonReport): Set<string> {
  const runtime = new Set<string>();
  const other = new Set<string>();
  for (const e of report.events ?? []) {
    if (!e.key) continue;
    (e.api === 'runtime' ? runtime : other).add(e.key);
  }
  for (const k of other) runtime.delete(k);
  return runtime;
}

/** Summarises a report: keys the program touched (not the runtime's own reads), keys read while unset, races, processes. */
export function summarize(report: JsonReport): RunSummary {
  const skip = runtimeOnlyKeys(report);
  const vars = (Array.isArray(report.vars) ? report.vars : []).filter((v) => !skip.has(v.key));
  return {
    keys: vars.length,
    unset: vars.filter((v) => (v.unsetReads ?? 0) > 0).length,
    races: vars.filter((v) => v.race).length,
    processes: Array.isArray(report.processes) ? report.processes.length : 0,
  };
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

/** Keys read by each process (by pid), from the report's events. */
export function keysByProcess(report: JsonReport): Map<number, string[]> {
  const m = new Map<number, Set<string>>();
  for (const e of report.events ?? []) {
    if (!e.key || (e.op !== 'getenv' && e.op !== 'environ')) continue;
    let s = m.get(e.pid);
    if (!s) m.set(e.pid, (s = new Set()));
    s.add(e.key);
  }
  return new Map([...m].map(([pid, s]) => [pid, [...s].sort()]));
}
