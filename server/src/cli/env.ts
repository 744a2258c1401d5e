import { CliError, type Io } from './io';
import { overlayFor, registerRun } from './run';
import { checkRedactFlags } from './redactFlags';
import { parseTraceFlags } from './traceFlags';
import { storeFor } from './storeDir';
import { traceSettings } from '../tracer/overlay';
import { firstBuild } from '../tracer/run';
import { shQuote } from './shellQuote';

const ALLOWED = new Set(['stack', 'race', 'label', 'redact', 'no-redact', 'full-env', 'keep', 'dir', 'go']);

/**
 * `envtrace env [flags]`: prints shell exports (GOFLAGS with the overlay, ENVTRACE_*) for a
 * build envtrace does not start itself; registers a fresh run that `envtrace report` collects.
 */
export async function envCommand(args: string[], io: Io): Promise<number> {
  const { flags, command } = parseTraceFlags(args, ALLOWED);
  if (command.length) throw new CliError(`env takes no command (got "${command.join(' ')}"); eval its output, then run your build`);
  checkRedactFlags(flags);
  storeFor(flags.dir, io);
  const overlay = await overlayFor(flags, io);
  const { run, key } = await registerRun(flags, overlay, [], 'env', io);
  const settings = traceSettings(
    { overlayPath: overlay.overlayPath, goflags: overlay.goflags, runDir: run.dir, runId: run.info.id, stack: flags.stack, redact: flags.redact, noRedact: flags.noRedact, fullEnv: flags.fullEnv, hashKey: key, race: flags.race },
    io.env.GOFLAGS,
  );
  io.out(`# envtrace: run ${run.info.id} (${run.dir}); afterwards: envtrace report ${run.info.id}\n`);
  for (const [k, v] of Object.entries(settings)) io.out(`export ${k}=${shQuote(v)}\n`);
  if (firstBuild(overlay.overlayPath)) io.err(`envtrace: the first traced build with ${overlay.goVersion} recompiles part of the standard library (a few seconds; later builds are cached)\n`);
  return 0;
}
