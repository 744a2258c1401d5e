/** Runs the bundled envtrace CLI with the extension host's own Node. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** Path of the CLI bundle inside the extension. */
export function cliPath(extensionPath: string): string {
  return path.join(extensionPath, 'dist', 'cli.js');
}

/**
 * The environment additions to run a script with `process.execPath`: on desktop VS Code that
 * binary is Electron, which behaves as plain Node only with ELECTRON_RUN_AS_NODE=1.
 */
export function nodeEnv(): Record<string, string> {
  return process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
}

/** Where Go's installers put the go binary, tried after PATH when `envtrace.goPath` is empty. */
export function defaultGoDirs(platform = process.platform): string[] {
  return platform === 'win32' ? ['C:\\Program Files\\Go\\bin'] : ['/usr/local/go/bin', '/opt/homebrew/bin', '/usr/local/bin', '/usr/lib/go/bin'];
}

/**
 * PATH for traced runs: the folder of the configured go binary first; without a setting, the
 * usual install folders are appended, since an editor started from a desktop launcher (or a
 * remote extension host) often has a PATH without the one the user's shell adds for Go.
 */
export function pathWithGo(goPath: string, currentPath = process.env.PATH ?? ''): string {
  if (!goPath) {
    const have = new Set(currentPath.split(path.delimiter));
    const extra = defaultGoDirs().filter((d) => !have.has(d));
    return [currentPath, ...extra].filter(Boolean).join(path.delimiter);
  }
  const dir = path.basename(goPath).replace(/\.exe$/i, '') === 'go' ? path.dirname(goPath) : goPath;
  return `${dir}${path.delimiter}${currentPath}`;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `envtrace <args>` in `cwd` and collects its output. */
export function runCli(extensionPath: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath(extensionPath), ...args], {
      cwd,
      env: { ...process.env, ...nodeEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => resolve({ code: 127, stdout: '', stderr: e.message }));
    child.on('close', (code) =>
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}
