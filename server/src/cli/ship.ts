/**
 * `envtrace ship --otlp URL --dir DIR [--state FILE] [--protocol P] [--interval MS]`: the
 * sidecar. Follows a run directory as traced processes write into it and sends every new
 * event to an OpenTelemetry Collector as an OTLP log record, until SIGTERM or SIGINT; then
 * flushes and exits 0 (1 when the last records were not acknowledged; they are sent again
 * on the next start). otlp/ship.ts says how progress is kept.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, type Io } from './io';
import { eachArg, otlpFlag, targetFrom, type OtlpFlags } from './otlpFlags';
import { OtlpSender } from '../otlp/sender';
import { defaultStateFile, ship } from '../otlp/ship';

export async function shipCommand(args: string[], io: Io): Promise<number> {
  const flags: OtlpFlags = {};
  let dir: string | undefined;
  let state: string | undefined;
  let interval = 200;
  eachArg(
    args,
    (name, value) => {
      if (otlpFlag(name, value, flags)) return true;
      if (name === '--dir') dir = value();
      else if (name === '--state') state = value();
      else if (name === '--interval') {
        const v = value();
        interval = Number(v);
        if (!(interval >= 10 && interval <= 60_000)) throw new CliError(`--interval is milliseconds from 10 to 60000, not "${v}"`);
      } else return false;
      return true;
    },
    (word) => {
      throw new CliError(`ship takes no argument ("${word}"); the run directory is --dir DIR`);
    },
  );
  if (dir === undefined) throw new CliError('ship needs --dir DIR (the run directory the traced processes write into: their ENVTRACE_DIR)');
  const abs = resolve(io.cwd, dir);
  if (!isDir(abs)) throw new CliError(`--dir ${dir}: no such directory`);
  const target = targetFrom(flags, io.env);
  const stateFile = state === undefined ? defaultStateFile(abs) : resolve(io.cwd, state);
  const sender = new OtlpSender(target);
  const stop = new Promise<void>((res) => {
    process.once('SIGTERM', () => res());
    process.once('SIGINT', () => res());
  });
  const log = (line: string) => io.err(`envtrace ship: ${line}\n`);
  log(`following ${abs} → ${target.url} (${target.protocol}); state in ${stateFile}`);
  try {
    const r = await ship(sender, { dir: abs, stateFile, intervalMs: interval, holeMs: 3000, maxBackoffMs: 5000, log }, stop);
    log(`stopped: ${r.sent} log records sent`);
    return r.unacknowledged ? 1 : 0;
  } finally {
    await sender.shutdown();
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
