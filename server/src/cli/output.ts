/**
 * Writes a stored run as text or JSON to stdout, stderr or a file — shared by `envtrace run`
 * (text on stderr by default) and `envtrace report` (stdout by default).
 */
import { createWriteStream } from 'node:fs';
import { lstat, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { TraceLine } from '../runs/aggregate';
import { aggregateRun, type TextSink, writeJsonReport } from '../runs/load';
import { placeDeferredLines } from '../analysis/deferredTrace';
import { deferSites } from './deferSites';
import type { StoredRun } from '../runs/store';
import { runState } from '../runs/liveness';
import { renderText, summaryText } from '../runs/text';
import { CliError, type Io } from './io';
import { goCommandText } from '../runs/goCommandText';
import { processLines } from '../runs/whereText';

/** Where and how to render. */
export interface OutputOptions {
  format: 'text' | 'json';
  /** A file, `-` for stdout, or undefined for the default stream. */
  output: string | undefined;
  quiet: boolean;
  /** The default stream for text: stderr for `run`, stdout for `report`. */
  textTo: 'out' | 'err';
}

/** Runs `body` with a sink on stdout/stderr or on FILE (written to a temp file, then renamed). */
export async function withSink(io: Io, output: string | undefined, fallback: 'out' | 'err', body: (sink: TextSink) => Promise<void>): Promise<void> {
  if (output === undefined || output === '-') {
    const write = output === '-' ? io.out : io[fallback];
    await body({ write: (t) => write(t), writeBytes: (b) => write(b) });
    return;
  }
  const file = resolve(io.cwd, output);
  // A device or FIFO the user named (/dev/stdout, a pipe) is written as is; anything else
  // gets a new file renamed over the name, so a symlink there (a clone can commit one under
  // a name like report.json) is replaced, never written through.
  const st = await lstat(file).catch(() => null);
  const direct = st !== null && !st.isFile() && !st.isSymbolicLink();
  const tmp = direct ? file : join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const stream = createWriteStream(tmp, direct ? {} : { flags: 'wx', mode: 0o600 });
  const written = (more: boolean) => (more ? undefined : new Promise<void>((res) => stream.once('drain', () => res())));
  const failed = new Promise<never>((_, reject) => stream.once('error', (e) => reject(new CliError(`cannot write ${file}: ${e.message}`))));
  failed.catch(() => undefined);
  try {
    await Promise.race([
      failed,
      body({ write: (t) => written(stream.write(t)), writeBytes: (b) => written(stream.write(b)) }),
    ]);
    await Promise.race([failed, new Promise<void>((res) => stream.end(() => res()))]);
  } catch (e) {
    stream.destroy();
    if (!direct) await unlink(tmp).catch(() => undefined);
    throw e;
  }
  if (direct) return;
  await rename(tmp, file).catch(async (e: Error) => {
    await unlink(tmp).catch(() => undefined);
    throw new CliError(`cannot write ${file}: ${e.message}`);
  });
}

/** Renders `run`; for JSON also prints the summary on stderr (unless the JSON goes there). */
export async function emitRun(run: StoredRun, opts: OutputOptions, io: Io): Promise<void> {
  const where = { id: run.info.id, dir: run.dir, cwd: run.info.cwd, state: runState(run.info), goCommands: 0 };
  if (opts.format === 'json') {
    let summary: string[] = [];
    await withSink(io, opts.output, 'out', async (sink) => {
      const { agg, stats, goCommands } = await writeJsonReport(run, sink);
      summary = summaryText(agg.totals(), stats, { ...where, goCommands: goCommands.size });
    });
    if (opts.textTo === 'err') io.err(summary.join('\n') + '\n');
    return;
  }
  const { agg, stats, goCommands } = await aggregateRun(run);
  let lines: TraceLine[] | undefined;
  if (!opts.quiet) {
    lines = agg.traceLines();
    lines = placeDeferredLines(lines, await deferSites(lines, [run.info.cwd, ...agg.processes.map((p) => p.cwd)]));
  }
  const blocks = opts.quiet
    ? []
    : [
        ...[...goCommands.values()].sort((a, b) => a.process.index - b.process.index).flatMap((g) => goCommandText(g.process.pid, g.process.argv, g.config)),
        // Where the processes ran, when that is not just this machine (a fleet, a container).
        ...processLines(agg.processes, hostname()),
      ];
  const text = blocks.map((l) => l + '\n').join('') + renderText(agg, stats, { ...where, goCommands: goCommands.size }, opts.quiet, lines);
  await withSink(io, opts.output, opts.textTo, async (sink) => {
    await sink.write(text);
  });
}
