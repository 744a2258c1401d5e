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

/**
 * Imports into the store at `store`: a run directory is copied into `runs/` (a stored run like
 * any other); a JSON report is copied into `imports/` (the server shows it as an imported run,
 * the client lists it beside the stored ones). Returns the new directory or report file.
 */
export async function importInto(source: string, store: string): Promise<string> {
  const stat = await fs.stat(source);
  if (stat.isDirectory()) {
    await fs.access(path.join(source, 'run.json')).catch(() => {
      throw new Error(`${source} is not an envtrace run directory (no run.json)`);
    });
    const runs = path.join(store, 'runs');
    await fs.mkdir(runs, { recursive: true });
    const target = await freeName(runs, path.basename(source));
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
  const imports = importsDirectory(store);
  await fs.mkdir(imports, { recursive: true });
  const id = (data as { id?: unknown }).id;
  const base = typeof id === 'string' && /^[\w.-]+$/.test(id) ? id : path.basename(source, '.json').replace(/[^\w.-]/g, '_');
  const target = await freeName(imports, base, '.json');
  await fs.copyFile(source, target);
  return target;
}

/** The folder of imported JSON reports in a store. */
export function importsDirectory(store: string): string {
  return path.join(store, 'imports');
}

async function freeName(dir: string, base: string, ext = ''): Promise<string> {
  for (let i = 0; ; i++) {
    const p = path.join(dir, `${i ? `${base}-${i}` : base}${ext}`);
    try {
      await fs.access(p);
    } catch {
      return p;
    }
  }
}
