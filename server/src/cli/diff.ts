import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, type Io } from './io';
import { ArgCursor } from './argCursor';
import { diffRuns, type DiffSites } from '../analysis/diff';
import { renderDiffText, renderServicesText } from '../analysis/diffText';
import { diffServices, loadServices, type ServiceDiff } from '../analysis/fleetDiff';
import { addRun, RunSourceError } from '../analysis/loadObservations';
import { ObservationsBuilder, type Observations } from '../analysis/observations';
import { scanTree } from '../scan/index';
import { storeRoot } from '../runs/store';
import { escapeControls } from '../runs/text';
import { diffGoCommands, goConfigDiffText, type GoCommandSide } from '../analysis/goConfigDiff';
import { aggregateRun } from '../runs/load';
import { readRunInfo } from '../runs/store';
import type { Report } from '../runs/report';
import { readRegularSync } from '../files/readRegular';

/**
 * `envtrace diff [--format text|json] [--dir DIR] [--root DIR] RUN_A RUN_B`: compares two runs
 * per key. RUN: an id in the store, a run directory, or a JSON report file. Sites come from
 * scanning --root (default: the current directory when it holds a go.mod); without one,
 * places are the first frames outside the standard library. Exit 0 (differences are output,
 * not failure); 2 for bad usage or a run that cannot be read.
 */
export async function diffCommand(args: string[], io: Io): Promise<number> {
  let format: 'text' | 'json' = 'text';
  let dir: string | undefined;
  let root: string | undefined;
  const runs: string[] = [];
  const cur = new ArgCursor(args);
  for (let a = cur.next(); a !== undefined; a = cur.next()) {
    const name = cur.name;
    if (a === '-h' || a === '--help') {
      io.out(USAGE + '\n');
      return 0;
    }
    if (name === '--format') {
      const f = cur.value();
      if (f !== 'text' && f !== 'json') throw new CliError(`--format is text or json, not "${f}"`);
      format = f;
    } else if (name === '--dir') dir = cur.value();
    else if (name === '--root') root = cur.value();
    else if (a === '--') runs.push(...cur.rest());
    else if (a.startsWith('-') && a !== '-') throw new CliError(`unknown flag ${name}`);
    else runs.push(a);
  }
  if (runs.length !== 2) throw new CliError(`diff takes two runs: ${USAGE}`);
  const store = storeRoot(dir ?? io.cwd);
  const [a, b] = [await load(runs[0], store, io.cwd), await load(runs[1], store, io.cwd)];
  for (const [name, obs] of [['A', a], ['B', b]] as const) {
    const message = obs.runs[0]?.problems.message;
    if (message) io.err(`envtrace: ${name}: ${escapeControls(message)}\n`);
  }
  const sites = await sitesFor(root ? resolve(io.cwd, root) : io.cwd, root !== undefined);
  const diff = diffRuns(a, b, sites);
  const goCommands = diffGoCommands(await goCommandsOf(a.runs[0]?.source), await goCommandsOf(b.runs[0]?.source));
  // Fleets (issue 13): each service compared as well; absent when neither run is a fleet.
  const services = await servicesOf(a.runs[0]?.source, b.runs[0]?.source, sites);
  io.out(
    format === 'json'
      ? JSON.stringify({ ...diff, goCommands, ...(services ? { services } : {}) }, null, 2) + '\n'
      : renderDiffText(diff) + goConfigDiffText(goCommands).map((l) => l + '\n').join('') + (services ? renderServicesText(services) : ''),
  );
  return 0;
}

const USAGE = 'envtrace diff [--format text|json] [--dir DIR] [--root DIR] RUN_A RUN_B  (RUN: a run id, a run directory or a JSON report)';

/** Loads one RUN: a path (run directory or report) or an id of the store. */
async function load(spec: string, store: string, cwd: string): Promise<Observations> {
  const path = resolve(cwd, spec);
  const byId = join(store, 'runs', spec);
  const source = existsSync(path) ? path : /^[\w.-]+$/.test(spec) && existsSync(byId) ? byId : null;
  if (!source) throw new CliError(`no run "${spec}" (not an id in ${join(store, 'runs')}, a run directory or a report file)`);
  const builder = new ObservationsBuilder();
  try {
    await addRun(builder, source, {}, true);
  } catch (e) {
    if (e instanceof RunSourceError) throw new CliError(e.message);
    throw e;
  }
  return builder.obs;
}

/** The scanner's sites of a Go workspace root, or undefined when it is none. */
async function sitesFor(root: string, explicit: boolean): Promise<DiffSites | undefined> {
  const isDir = existsSync(root) && statSync(root).isDirectory();
  if (explicit && !isDir) throw new CliError(`--root ${root} is not a directory`);
  if (!isDir || (!explicit && !existsSync(join(root, 'go.mod')))) return undefined;
  try {
    const scan = await scanTree(root);
    return { root: scan.root, sites: scan.sites };
  } catch {
    return undefined; // e.g. the parser's wasm is missing: places from frames instead
  }
}

async function servicesOf(a: string | undefined, b: string | undefined, sites: DiffSites | undefined): Promise<ServiceDiff[] | undefined> {
  if (!a || !b) return undefined;
  return diffServices(await loadServices(a), await loadServices(b), sites);
}

/** The go commands of a run directory or a JSON report (none when it cannot be read). */
async function goCommandsOf(source: string | undefined): Promise<GoCommandSide[]> {
  if (!source) return [];
  try {
    if (statSync(source).isDirectory()) {
      const { goCommands } = await aggregateRun({ dir: source, info: await readRunInfo(source) });
      return [...goCommands.values()].sort((x, y) => x.process.index - y.process.index).map((g) => ({ argv: g.process.argv, config: g.config }));
    }
    const report = JSON.parse(readRegularSync(source, { maxBytes: 256 << 20 }).toString('utf8')) as Report;
    return report.processes.filter((p) => p.kind === 'go-command' && p.goCommand).map((p) => ({ argv: p.argv, config: p.goCommand! }));
  } catch {
    return [];
  }
}
