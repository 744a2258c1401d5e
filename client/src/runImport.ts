/** Importing a run: a JSON report or a run directory (e.g. a CI artifact) copied into the runs directory. No `vscode` import. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** Checks that `data` looks like an envtrace JSON report; returns an error message or undefined. */
export function reportProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'not a JSON object';
  const r = data as Record<string, unknown>;
  if (r.version !== 1) return `unsupported report version ${JSON.stringify(r.version)}`;
  if (!Array.isArray(r.vars) || !Array.isArray(r.processes)) return 'not an envtrace report (no "vars" or "processes")';
  return undefined;
}

/** Copies a run directory or a JSON report into `runsDir`; returns the new run directory. */
export async function importInto(source: string, runsDir: string): Promise<string> {
  const stat = await fs.stat(source);
  await fs.mkdir(runsDir, { recursive: true });
  if (stat.isDirectory()) {
    await fs.access(path.join(source, 'run.json')).catch(() => {
      throw new Error(`${source} is not an envtrace run directory (no run.json)`);
    });
    const target = await freeName(runsDir, path.basename(source));
    await fs.cp(source, target, { recursive: true });
    return target;
  }
  let data: unknown;
  try {
    data = JSON.parse(await fs.readFile(source, 'utf8'));
  } catch (e) {
    throw new Error(`${path.basename(source)} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problem = reportProblem(data);
  if (problem) throw new Error(`${path.basename(source)}: ${problem}`);
  const report = data as { id?: string; label?: string; command?: string[]; cwd?: string; exitCode?: number; processes: { start?: unknown }[] };
  const id = typeof report.id === 'string' && /^[\w.-]+$/.test(report.id) ? report.id : `imported-${Date.now()}`;
  const target = await freeName(runsDir, id);
  await fs.mkdir(target);
  // NOTE: an imported report keeps its data in report.json beside a run.json, so the
  // run list, the report cache and the server can treat it like a recorded run.
  await fs.writeFile(path.join(target, 'report.json'), JSON.stringify(data));
  const run = {
    id: path.basename(target),
    label: `imported: ${report.label || path.basename(source)}`,
    command: report.command ?? [],
    cwd: report.cwd ?? '',
    start: report.processes[0]?.start ?? new Date().toISOString(),
    exitCode: report.exitCode,
    imported: path.basename(source),
  };
  await fs.writeFile(path.join(target, 'run.json'), JSON.stringify(run, null, 2));
  return target;
}

async function freeName(dir: string, base: string): Promise<string> {
  for (let i = 0; ; i++) {
    const p = path.join(dir, i ? `${base}-${i}` : base);
    try {
      await fs.access(p);
    } catch {
      return p;
    }
  }
}
