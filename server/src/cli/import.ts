/**
 * `envtrace import [--label L] [--dir DIR] [--json] SOURCE…`: JSON reports, OTLP JSON files
 * (the OpenTelemetry Collector's file exporter) and run directories become one stored run
 * (a fleet run: each process keeps its host, pod and service). Exit 0; 2 when a source
 * cannot be read at all (nothing is stored then).
 */
import { resolve } from 'node:path';
import { CliError, type Io } from './io';
import { ArgCursor } from './argCursor';
import { storeFor } from './storeDir';
import { ImportError, importRuns } from '../runs/import/importRuns';
import { escapeControls } from '../runs/text';

const USAGE = 'envtrace import [--label L] [--dir DIR] [--json] SOURCE...  (SOURCE: a JSON report, an OTLP JSON file, a run directory)';

export async function importCommand(args: string[], io: Io): Promise<number> {
  let label: string | null = null;
  let dir: string | undefined;
  let json = false;
  const sources: string[] = [];
  const cur = new ArgCursor(args);
  for (let a = cur.next(); a !== undefined; a = cur.next()) {
    const name = cur.name;
    if (a === '-h' || a === '--help') {
      io.out(USAGE + '\n');
      return 0;
    }
    if (name === '--label') label = cur.value();
    else if (name === '--dir') dir = cur.value();
    else if (a === '--json') json = true;
    else if (a === '--') sources.push(...cur.rest());
    else if (a.startsWith('-')) throw new CliError(`unknown flag ${name}`);
    else sources.push(a);
  }
  if (!sources.length) throw new CliError(`import takes at least one source: ${USAGE}`);
  const store = storeFor(dir, io);
  let r;
  try {
    r = await importRuns(sources.map((s) => resolve(io.cwd, s)), { label, store });
  } catch (e) {
    if (e instanceof ImportError) throw new CliError(e.message);
    throw e;
  }
  if (json) {
    io.out(JSON.stringify({ id: r.run.info.id, dir: r.run.dir, processes: r.processes, events: r.events, duplicates: r.duplicates, redacted: r.redacted, notes: r.notes }, null, 2) + '\n');
    return 0;
  }
  for (const n of r.notes) io.err(`envtrace: skipped ${escapeControls(n)}\n`);
  const extra = [r.duplicates ? `${r.duplicates} duplicate(s) left out` : '', r.redacted ? `${r.redacted} value(s) redacted on import` : ''].filter(Boolean);
  io.out(`envtrace: imported ${r.processes} process(es), ${r.events} event line(s)${extra.length ? ` (${extra.join(', ')})` : ''} as run ${r.run.info.id}\n`);
  io.err(`envtrace: run ${r.run.info.id} stored in ${escapeControls(r.run.dir)}\n`);
  return 0;
}
