/**
 * `envtrace export --otlp URL [--protocol http/protobuf|http/json] [--each-event] [--dir DIR] [RUN…]`:
 * sends stored runs (default: the newest) to an OpenTelemetry Collector as OTLP logs
 * (docs/FORMATS.md section 7). Exit 0 when the collector acknowledged everything, 1 when it
 * could not be reached or refused the logs, 2 for bad usage.
 */
import { CliError, type Io } from './io';
import { storeFor } from './storeDir';
import { eachArg, otlpFlag, targetFrom, type OtlpFlags } from './otlpFlags';
import { resolveRun, RunStoreError, type StoredRun } from '../runs/store';
import { exportRun } from '../otlp/exportRun';
import { OtlpSender, OtlpSendError } from '../otlp/sender';

export async function exportCommand(args: string[], io: Io): Promise<number> {
  const flags: OtlpFlags = {};
  let eachEvent = false;
  let dir: string | undefined;
  const specs: string[] = [];
  eachArg(
    args,
    (name, value) => {
      if (otlpFlag(name, value, flags)) return true;
      if (name === '--each-event') eachEvent = true;
      else if (name === '--dir') dir = value();
      else return false;
      return true;
    },
    (word) => specs.push(word),
  );
  const target = targetFrom(flags, io.env);
  const runs: StoredRun[] = [];
  try {
    const store = storeFor(dir, io);
    for (const spec of specs.length ? specs : [undefined]) runs.push(await resolveRun(store, spec, io.cwd));
  } catch (e) {
    if (e instanceof RunStoreError) throw new CliError(e.message);
    throw e;
  }
  const sender = new OtlpSender(target);
  try {
    for (const run of runs) {
      const t0 = performance.now();
      const c = await exportRun(run, sender, eachEvent);
      const s = (performance.now() - t0) / 1000;
      io.err(`envtrace: exported run ${run.info.id} to ${target.url} (${target.protocol}): ${c.records} log records for ${c.events} events of ${c.processes} processes in ${s.toFixed(2)} s\n`);
    }
  } catch (e) {
    if (e instanceof OtlpSendError) throw new CliError(`export failed: ${e.message}`, 1);
    throw e;
  } finally {
    await sender.shutdown();
  }
  return 0;
}
