/** The client's view of stored runs: lists run directories and asks the CLI for their reports. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { runCli } from './cli';
import type { JsonReport } from './report';
import { runState } from '../../server/src/runs/liveness';
import { redactArgvForDisplay } from '../../server/src/tracer/argv';
import { readRegularText } from '../../server/src/files/readRegular';
import { MAX_RUN_JSON } from '../../server/src/runs/store';

/** One stored run, from its run.json (fields the CLI writes; unknown ones are tolerated), or an imported report. */
export interface RunInfo {
  id: string;
  /** The run directory, or the report file of an imported run. */
  dir: string;
  imported: boolean;
  /** False while the tracer still records it (run.json has no end yet, its envtrace alive). */
  complete: boolean;
  /** True when its envtrace ended without finishing it: it holds what was recorded until then. */
  interrupted: boolean;
  folder: string;
  label: string;
  command: string[];
  start: number | undefined;
  exitCode: number | undefined;
  /** The directory the command ran in (trace lines name files relative to it); the folder when unknown. */
  cwd: string;
}

/**
 * The envtrace store for the `envtrace.runs.directory` setting, as the CLI's `--dir` resolves it:
 * the folder itself when it is named `.envtrace`, else its `.envtrace` subfolder.
 */
export function storeDirectory(folder: string, setting: string): string {
  const abs = path.resolve(folder, setting || '.envtrace');
  return path.basename(abs) === '.envtrace' ? abs : path.join(abs, '.envtrace');
}

/** The folder holding one directory per run, for the `envtrace.runs.directory` setting. */
export function runsDirectory(folder: string, setting: string): string {
  return path.join(storeDirectory(folder, setting), 'runs');
}

/** Lists the runs stored in `runsDir`, newest first; unreadable entries are skipped. */
export async function listRuns(folder: string, runsDir: string): Promise<RunInfo[]> {
  let names: string[];
  try {
    names = await fs.readdir(runsDir);
  } catch {
    return [];
  }
  const runs: RunInfo[] = [];
  for (const name of names) {
    const dir = path.join(runsDir, name);
    let meta: Record<string, unknown>;
    try {
      // A clone's run.json may be a FIFO or a link to a device: only a regular file is read.
      meta = JSON.parse(await readRegularText(path.join(dir, 'run.json'), { within: dir, maxBytes: MAX_RUN_JSON })) as Record<string, unknown>;
    } catch {
      continue;
    }
    // As the server reads run.json (runs/store.ts): a command stored in clear by an older
    // version is shown with its secret flags redacted, unless recorded with --no-redact.
    const command = Array.isArray(meta.command) ? meta.command.map(String) : [];
    const shown = meta.noRedact === true ? command : redactArgvForDisplay(command);
    runs.push({
      id: typeof meta.id === 'string' ? meta.id : name,
      dir,
      imported: false,
      ...completion(meta),
      folder,
      label: typeof meta.label === 'string' && meta.label ? meta.label : commandText(Array.isArray(meta.command) ? shown : meta.command),
      command: shown,
      start: toTime(meta.start ?? meta.startTime),
      exitCode: toNumber(meta.exitCode ?? meta.exitStatus ?? meta.exit),
      cwd: typeof meta.cwd === 'string' && meta.cwd ? meta.cwd : folder,
    });
  }
  return runs.sort((a, b) => (b.start ?? 0) - (a.start ?? 0) || b.id.localeCompare(a.id));
}

/** complete/interrupted from a run.json's end, mode and recording envtrace (see server/src/runs/liveness.ts). */
function completion(meta: Record<string, unknown>): { complete: boolean; interrupted: boolean } {
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const ended = typeof meta.end === 'string' || typeof meta.end === 'number';
  const state = runState({
    start: str(meta.start) ?? '',
    end: ended ? String(meta.end) : null,
    mode: meta.mode === 'env' ? 'env' : 'run',
    pid: typeof meta.pid === 'number' ? meta.pid : null,
    pidStart: str(meta.pidStart),
    host: str(meta.host),
  });
  return { complete: state !== 'running', interrupted: state === 'interrupted' };
}

/** Lists the JSON reports imported into `importsDir`; unreadable files are skipped. */
export async function listImported(folder: string, importsDir: string): Promise<RunInfo[]> {
  let names: string[];
  try {
    names = (await fs.readdir(importsDir)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const runs: RunInfo[] = [];
  for (const name of names) {
    const file = path.join(importsDir, name);
    try {
      const r = JSON.parse(await readRegularText(file, { within: importsDir })) as Partial<JsonReport> & { processes?: { start?: unknown }[] };
      runs.push({
        id: typeof r.id === 'string' ? r.id : name,
        dir: file,
        imported: true,
        complete: true,
        interrupted: false,
        folder,
        label: `imported: ${r.label || name}`,
        command: Array.isArray(r.command) ? r.command.map(String) : [],
        start: toTime(r.processes?.[0]?.start),
        exitCode: toNumber(r.exitCode),
        cwd: typeof r.cwd === 'string' && r.cwd ? r.cwd : folder,
      });
    } catch {
      continue;
    }
  }
  return runs;
}

function commandText(c: unknown): string {
  return Array.isArray(c) ? c.join(' ') : typeof c === 'string' ? c : '';
}

function toTime(v: unknown): number | undefined {
  if (typeof v === 'number') return v > 1e14 ? Math.floor(v / 1e6) : v; // ns or ms
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function toNumber(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** Reads reports through the CLI and caches them: a finished run never changes. */
export class ReportCache {
  private readonly cache = new Map<string, Promise<JsonReport | string>>();

  constructor(private readonly extensionPath: string) {}

  /** The JSON report of `run`, or an error message. */
  report(run: RunInfo): Promise<JsonReport | string> {
    if (!run.complete) return this.load(run); // still recording: never cache a partial report
    const key = run.dir;
    let p = this.cache.get(key);
    if (!p) {
      p = this.load(run);
      this.cache.set(key, p);
      void p.then((r) => typeof r === 'string' && this.cache.delete(key));
    }
    return p;
  }

  /** Forgets every cached report (after runs were cleared or imported). */
  clear(): void {
    this.cache.clear();
  }

  private async load(run: RunInfo): Promise<JsonReport | string> {
    if (run.imported) {
      try {
        return JSON.parse(await readRegularText(run.dir, { within: path.dirname(run.dir) })) as JsonReport;
      } catch (e) {
        return `cannot read the imported report: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    const r = await runCli(this.extensionPath, ['report', '--format', 'json', run.dir], run.folder);
    if (r.code !== 0) return firstLine(r.stderr) || `envtrace report exited with ${r.code}`;
    try {
      return JSON.parse(r.stdout) as JsonReport;
    } catch {
      return 'envtrace report printed no JSON';
    }
  }
}

/** The first non-empty line of `text`. */
export function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim())?.trim() ?? '';
}
