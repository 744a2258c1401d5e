/**
 * Reading a stored run: aggregate it (one streaming pass), or write its JSON report
 * (a second streaming pass for the events, so memory does not grow with the run).
 */
import { RunAggregate } from './aggregate';
import { readRun, type ProcessInfo, type ReadOptions, type ReadStats, type RunEvent } from './reader';
import type { Report, ReportEvent, ReportProcess } from './report';
import type { StoredRun } from './store';
import { EVENT_CHUNK, EventBytes } from './eventBytes';
import { GoCommandCollector, splitGoCommands } from './goCommand';
import { resolveGoCommands, type GoCommandConfig } from './goConfig';
import { TextSpool } from './spool';

/** Reader options for a stored run: module lookup from its cwd, GOROOT and module cache from run.json. */
export function readOptionsFor(run: StoredRun, extra: ReadOptions = {}): ReadOptions {
  return {
    cwds: [run.info.cwd],
    goroot: run.info.goroot ?? undefined,
    gomodcache: run.info.gomodcache ?? undefined,
    ...extra,
  };
}

/** Reads and aggregates a stored run in one streaming pass. */
export async function aggregateRun(run: StoredRun, extra: ReadOptions = {}): Promise<{ agg: RunAggregate; stats: ReadStats; goCommands: GoCommands }> {
  const agg = new RunAggregate();
  const go = new GoCommandCollector();
  const stats = await readRun(run.dir, splitGoCommands(agg, go), readOptionsFor(run, { writtenKeys: true, ...extra }));
  return { agg, stats, goCommands: goCommandsOf(go, run) };
}

/** The go commands a collector found, each with its resolved configuration. */
function goCommandsOf(go: GoCommandCollector, run: StoredRun): GoCommands {
  const configs = resolveGoCommands(go, run.info);
  return new Map([...go.commands].map(([pid, c]) => [pid, { process: c.process, config: configs.get(pid)! }]));
}

/** The go commands of a run (not in the aggregate's processes): each process and its resolved configuration. */
export type GoCommands = Map<number, { process: ProcessInfo; config: GoCommandConfig }>;

/** A report event from a resolved event. */
export function reportEvent(e: RunEvent): ReportEvent {
  const r = {
    seq: e.seq,
    pid: e.pid,
    goroutine: e.goroutine,
    parentGoroutine: e.parentGoroutine,
    time: e.time,
    op: e.op,
    api: e.api,
  } as ReportEvent;
  if (e.key !== undefined) r.key = e.key;
  r.found = e.found;
  if (e.value !== undefined && !e.redacted) r.value = e.value;
  r.redacted = e.redacted;
  if (e.redacted) {
    r.hash = e.hash;
    r.length = e.length;
  }
  if (e.error !== undefined) r.error = e.error;
  r.file = e.user?.file ?? null;
  r.line = e.user?.line ?? null;
  r.function = e.user?.function ?? null;
  r.stack = e.stack;
  if (e.test !== undefined) r.test = e.test;
  if (e.path !== undefined) r.path = e.path;
  if (e.argv !== undefined) r.argv = e.argv;
  if (e.childPid !== undefined) r.childPid = e.childPid;
  if (e.weight !== 1) r.count = e.weight;
  return r;
}

function reportProcess(p: ProcessInfo, cfg?: GoCommandConfig): ReportProcess {
  const r: ReportProcess = { pid: p.pid, ppid: p.ppid, parent: p.parent || null, argv: p.argv, cwd: p.cwd, start: p.start, end: p.end };
  if (p.where) r.where = p.where;
  return cfg ? { ...r, kind: 'go-command', goCommand: cfg } : r;
}

/** Everything of the report except the events, from an aggregate. */
export function reportHead(run: StoredRun, agg: RunAggregate, stats: ReadStats, go: GoCommands = new Map()): Omit<Report, 'events'> {
  return {
    version: 1,
    id: run.info.id,
    label: run.info.label,
    command: run.info.command,
    cwd: run.info.cwd,
    exitCode: run.info.exitCode,
    runDir: run.dir,
    goVersion: run.info.goVersion ?? agg.processes.find((p) => p.goVersion)?.goVersion ?? null,
    processes: [...agg.processes.map((p) => ({ p, cfg: undefined as GoCommandConfig | undefined })), ...[...go.values()].map((g) => ({ p: g.process, cfg: g.config }))]
      .sort((a, b) => a.p.index - b.p.index)
      .map(({ p, cfg }) => reportProcess(p, cfg)),
    stacks: Object.fromEntries(agg.stacks),
    vars: agg.reportVars(),
    counts: reportCounts(agg),
    problems: { badLines: stats.badLines, lostEvents: stats.lostEvents, unreadableFiles: stats.unreadableFiles, notes: stats.notes ?? [] },
  };
}

/** The report's `counts`, from the aggregate's totals. */
function reportCounts(agg: RunAggregate): Report['counts'] {
  const t = agg.totals();
  return { keys: t.keysRead, unset: t.unsetKeys, races: t.races, processes: t.processes };
}

const FIRST_EVENT = Buffer.from('\n  ');
const NEXT_EVENT = Buffer.from(',\n  ');

/** Where a streamed report goes. */
export interface TextSink {
  write(text: string): Promise<void> | void;
  /** UTF-8 bytes, when the sink takes them as they are (else they are decoded for `write`). */
  writeBytes?(bytes: Uint8Array): Promise<void> | void;
}

/**
 * Writes the JSON report of a run to `sink` in one pass over its files; returns the aggregate
 * (for the summary). The events' JSON is made as the reader hands them over and held back
 * (spool.ts: in memory, then in a temporary file) until the aggregate has the processes and
 * stacks that come before them in the report.
 */
export async function writeJsonReport(run: StoredRun, sink: TextSink, extra: ReadOptions = {}): Promise<{ agg: RunAggregate; stats: ReadStats; goCommands: GoCommands }> {
  const agg = new RunAggregate();
  const go = new GoCommandCollector();
  const split = splitGoCommands(agg, go);
  const spool = new TextSpool();
  try {
    let n = 0;
    const bytes = new EventBytes();
    const stats = await readRun(
      run.dir,
      {
        ...split,
        event: (e, p) => {
          split.event!(e, p);
          if (go.commands.has(p.pid)) return; // described by processes[].goCommand, as in vars
          // The reader hands a stack over before the events that use it: a stack the
          // aggregate lacks would be a reader fault, kept out of the report as before.
          bytes.event(e.stack !== null && !agg.stacks.has(e.stack) ? { ...e, stack: null } : e, n++ ? NEXT_EVENT : FIRST_EVENT);
          if (bytes.size < EVENT_CHUNK) return;
          return spool.writeBytes(bytes.take());
        },
      },
      readOptionsFor(run, { writtenKeys: true, ...extra }),
    );
    await spool.writeBytes(bytes.take());
    const goCommands = goCommandsOf(go, run);
    const { vars, counts, problems, ...first } = reportHead(run, agg, stats, goCommands);
    const open = JSON.stringify(first, null, 1);
    await sink.write(open.slice(0, -2) + ',\n "events": [');
    await spool.replay(sink);
    await sink.write(`\n ],\n "vars": ${JSON.stringify(vars)},\n "counts": ${JSON.stringify(counts)},\n "problems": ${JSON.stringify(problems)}\n}\n`);
    return { agg, stats, goCommands };
  } finally {
    await spool.drop();
  }
}
