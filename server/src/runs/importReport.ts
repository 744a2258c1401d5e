/**
 * Replays a JSON report (e.g. downloaded from CI) into a RunVisitor, so an imported run is
 * aggregated by the same code as a run directory. Reports carry no write generations or
 * in-flight flags, so races found from a replay are at most "possible"; the report's own
 * `vars[].race` stays the authority for it.
 */
import { readRegularText } from '../files/readRegular';
import type { ProcessInfo, ReadStats, RunEvent, RunVisitor } from './reader';
import type { Report } from './report';

/** Reads and checks a JSON report file; throws an Error with a one-line message when it is not one. */
export async function readReportFile(file: string): Promise<Report> {
  let r: Partial<Report>;
  try {
    r = JSON.parse(await readRegularText(file)) as Partial<Report>;
  } catch (e) {
    throw new Error(`${file} is not a JSON report: ${(e as Error).message.split('\n')[0]}`);
  }
  if (r?.version !== 1 || !Array.isArray(r.events) || !Array.isArray(r.processes) || typeof r.stacks !== 'object') {
    throw new Error(`${file} is not an envtrace JSON report of version 1`);
  }
  return r as Report;
}

/** Feeds a report's processes, stacks and events to `visitor`. */
export async function replayReport(report: Report, visitor: RunVisitor): Promise<ReadStats> {
  const procs = new Map<number, ProcessInfo>();
  report.processes.forEach((p, index) => {
    const info: ProcessInfo = {
      index, file: '', pid: p.pid, ppid: p.ppid, parent: p.parent ?? 0, argv: p.argv, cwd: p.cwd,
      goVersion: report.goVersion ?? '', goos: '', goarch: '', start: p.start, end: p.end, env: [], events: 0, maxSeq: 0,
    };
    procs.set(p.pid, info);
    visitor.process?.(info);
  });
  for (const [id, frames] of Object.entries(report.stacks)) visitor.stack?.(id, frames);
  const seen = new Set<string>();
  for (const r of report.events) {
    const p = procs.get(r.pid);
    if (!p) continue;
    const g = `${r.pid}/${r.goroutine}`;
    if (!seen.has(g)) {
      seen.add(g);
      visitor.goroutine?.(r.pid, r.goroutine, r.parentGoroutine);
    }
    const ns = r.time * 1e6;
    const e: RunEvent = {
      pid: r.pid, seq: r.seq, goroutine: r.goroutine, parentGoroutine: r.parentGoroutine, op: r.op, key: r.key,
      found: r.found, value: r.value, redacted: r.redacted, hash: r.hash, length: r.length, error: r.error,
      t0: ns, t1: ns, time: r.time, api: r.api, stack: r.stack,
      user: r.file !== null && r.line !== null ? { file: r.file, line: r.line, function: r.function ?? '' } : null,
      writeGen: 0, writeInFlight: false, test: r.test, path: r.path, argv: r.argv, childPid: r.childPid,
    };
    p.events++;
    if (r.seq > p.maxSeq) p.maxSeq = r.seq;
    const wait = visitor.event?.(e, p);
    if (wait) await wait;
  }
  for (const p of procs.values()) visitor.processEnd?.(p);
  const problems = report.problems ?? { badLines: 0, lostEvents: 0, unreadableFiles: 0 };
  return { files: report.processes.length, events: report.events.length, ...problems };
}
