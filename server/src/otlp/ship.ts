/**
 * `envtrace ship`: follows a run directory while processes write into it and sends each new
 * event as an OTLP log record (docs/FORMATS.md section 7, `--each-event` records). At least
 * once: the state file keeps, per process file, the byte offset of the last line the
 * collector acknowledged; after a restart (of ship, of the app or of the collector) a file is
 * read again from its start (stacks and tests are needed) and what lies before that offset is
 * not sent again. Records sent but not acknowledged when ship stopped are sent again, with
 * the same `envtrace.record.id`: that is how a receiver recognises the duplicate.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { replaceFile } from '../files/writeSafe';
import { readRun, processFiles, type RunEvent, type ProcessInfo } from '../runs/reader';
import { readOptionsFor } from '../runs/load';
import { readRunInfo, type StoredRun } from '../runs/store';
import { nodeRunFs } from '../runs/lines';
import { isGoCommand } from '../runs/goCommand';
import { eventLog, processFileName, resourceAttributes } from './logRecords';
import { followChunks, type FollowControl, type FollowState } from './followFile';
import { BATCH, OtlpSendError, type OtlpSender } from './sender';

/** Options of one ship. */
export interface ShipOptions {
  dir: string;
  stateFile: string;
  /** Poll interval (new files, new lines), ms. */
  intervalMs: number;
  /** How long a run of zero bytes with records after it waits before it is skipped, ms. */
  holeMs: number;
  /** Longest wait between two tries while the collector does not acknowledge, ms. */
  maxBackoffMs: number;
  /** One line per notable thing (collector down, back, a file started). */
  log(line: string): void;
}

/** Records queued before followers wait for the collector. */
const MAX_QUEUED = 20 * BATCH;

interface Followed {
  name: string;
  state: FollowState;
  done: Promise<unknown>;
}

/** The state file: acknowledged bytes per process file. */
interface ShipState {
  version: 1;
  run: string;
  files: Record<string, number>;
}

async function loadState(file: string): Promise<Record<string, number>> {
  try {
    const s = JSON.parse(await readFile(file, 'utf8')) as Partial<ShipState>;
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(s.files ?? {})) if (Number.isSafeInteger(v) && v >= 0) out[k] = v;
    return out;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${file}: not a ship state file (${(e as Error).message}); remove it to ship from the start`);
  }
}

/** The run a directory holds: its run.json, else a run named after the directory. */
async function runOf(dir: string): Promise<StoredRun> {
  try {
    return { dir, info: await readRunInfo(dir) };
  } catch {
    return {
      dir,
      info: { version: 1, id: basename(dir), label: null, command: [], cwd: dir, start: '', end: null, exitCode: null, goVersion: null, goos: null, goarch: null, gitCommit: null, mode: 'env' },
    };
  }
}

/** What one ship did: records acknowledged, and whether some were left unacknowledged at the stop. */
export interface ShipResult {
  sent: number;
  unacknowledged: boolean;
}

/** Ships `opts.dir` through `sender` until `stop` resolves; then flushes and saves the state. */
export async function ship(sender: OtlpSender, opts: ShipOptions, stop: Promise<void>): Promise<ShipResult> {
  const acked = await loadState(opts.stateFile);
  let stopping = false;
  const sleepers = new Set<() => void>();
  /** Resolves after `ms`, at a stop, or when `woken` is called with the function it is handed. */
  const sleep = (ms: number, woken?: (done: () => void) => void) =>
    new Promise<void>((res) => {
      if (stopping) return res();
      const done = () => {
        clearTimeout(t);
        sleepers.delete(done);
        res();
      };
      const t = setTimeout(done, ms);
      sleepers.add(done);
      woken?.(done);
    });
  // The main loop idles until the next poll, or until a follower queues records: then it sends at once.
  let wakeMain: (() => void) | null = null;
  const nudge = () => {
    const w = wakeMain;
    wakeMain = null;
    w?.();
  };
  const stopped = stop.then(() => {
    stopping = true;
    for (const s of [...sleepers]) s();
  });
  let roomWaiters: (() => void)[] = [];
  const ctl: FollowControl = {
    wait: () => sleep(opts.intervalMs),
    stopped: () => stopping,
    room: () => (sender.pending < MAX_QUEUED || stopping ? Promise.resolve() : new Promise((res) => roomWaiters.push(res))),
    holeMs: opts.holeMs,
  };
  const run = await runOf(opts.dir);
  const id = run.info.id;
  const followed = new Map<string, Followed>();
  const follow = (name: string) => {
    const state: FollowState = { acked: acked[name] ?? 0, handed: 0, replaying: false };
    const fs = { readdir: async () => [name], chunks: (file: string, within: string) => followChunks(file, within, state, ctl) };
    // A go command traced by `envtrace run` is described by the report, not by its raw reads (as in export).
    let skip = false;
    const visitor = {
      process: (p: ProcessInfo) => {
        skip = isGoCommand(p);
        if (!skip) sender.resource(name, resourceAttributes(id, p));
      },
      event: (e: RunEvent, p: ProcessInfo) => {
        if (skip || state.replaying) return;
        sender.emit(processFileName(p), eventLog(id, p, e));
        nudge();
      },
    };
    const done = readRun(opts.dir, visitor, readOptionsFor(run, { fs })).catch((e: unknown) => opts.log(`${name}: ${(e as Error).message}`));
    followed.set(name, { name, state, done });
  };

  let failing = false;
  let backoff = 500;
  let sent = 0;
  let saved = '';
  const save = async (offsets: Map<string, number>) => {
    for (const [name, at] of offsets) acked[name] = Math.max(acked[name] ?? 0, at);
    const state: ShipState = { version: 1, run: id, files: acked };
    const text = JSON.stringify(state) + '\n';
    if (text === saved) return; // nothing new acknowledged: no write every poll
    await replaceFile(opts.stateFile, text);
    saved = text;
  };
  /** Sends what is queued; true when the collector acknowledged it (then the offsets are saved). */
  const flush = async (): Promise<boolean> => {
    // Offsets whose events are all queued now: what an acknowledged flush covers.
    const offsets = new Map([...followed.values()].map((f) => [f.name, f.state.handed] as const));
    const before = sender.sent;
    try {
      await sender.flush();
    } catch (e) {
      if (!(e instanceof OtlpSendError)) throw e;
      if (!failing) opts.log(`collector not acknowledging (${e.message}); retrying`);
      failing = true;
      return false;
    }
    sent += sender.sent - before;
    if (failing) opts.log('collector acknowledging again');
    failing = false;
    await save(offsets);
    const waiters = roomWaiters;
    roomWaiters = [];
    waiters.forEach((w) => w());
    return true;
  };

  while (!stopping) {
    for (const name of await processFiles(opts.dir, nodeRunFs).catch(() => [] as string[])) if (!followed.has(name)) follow(name);
    if (await flush()) {
      backoff = 500;
      if (sender.pending === 0) await sleep(opts.intervalMs, (done) => (wakeMain = done));
      wakeMain = null;
    } else {
      await sleep(backoff);
      backoff = Math.min(backoff * 2, opts.maxBackoffMs);
    }
  }
  await stopped;
  // Followers see the stop and end their files; what they queued is sent once more.
  roomWaiters.forEach((w) => w());
  await Promise.all([...followed.values()].map((f) => f.done));
  const unacknowledged = !(await flush());
  if (unacknowledged) opts.log('stopping with records not acknowledged: they are sent again on the next start');
  return { sent, unacknowledged };
}

/** The default state file of a run directory. */
export function defaultStateFile(dir: string): string {
  return join(dir, '.envtrace-ship.json');
}
