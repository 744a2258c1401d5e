// Running the real envtrace CLI from tests: `node dist/cli.js …` with captured output.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';

export const root = join(__dirname, '..', '..', '..');
export const cli = join(root, 'dist', 'cli.js');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `onStart` sees the child (to signal it); `umask` runs it under that umask (through sh). */
export function envtrace(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; umask?: string; onStart?: (pid: number) => void }): Promise<Result> {
  return new Promise((res, rej) => {
    const [cmd, argv] = opts.umask === undefined ? [process.execPath, [cli, ...args]] : ['sh', ['-c', `umask ${opts.umask}; exec "$0" "$@"`, process.execPath, cli, ...args]];
    const child = spawn(cmd, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
    opts.onStart?.(child.pid!);
  });
}

/** Resolves once `file` exists (watching its directory, no fixed sleep). */
export async function waitForFile(file: string): Promise<void> {
  await new Promise<void>((res) => {
    const w = watch(dirname(file), () => {
      if (existsSync(file)) {
        w.close();
        res();
      }
    });
    if (existsSync(file)) {
      w.close();
      res();
    }
  });
}

export function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
