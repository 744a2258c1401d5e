import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** What `go env` says about the toolchain that builds the user's project. */
export interface GoEnv {
  /** The go binary used (absolute when found on PATH). */
  go: string;
  goroot: string;
  /** e.g. "go1.26.8" (a GOTOOLCHAIN switch in go.mod is already applied). */
  goVersion: string;
  goos: string;
  goarch: string;
  /** Module cache; Go 1.25+ refuses overlays of files beneath it (downloaded toolchains live there). */
  gomodcache: string;
  /**
   * The effective GOFLAGS as the go command resolves them: the environment variable when it is
   * non-empty, else the go env file (`$GOENV`, written by `go env -w`), else `$GOROOT/go.env`.
   */
  goflags: string;
}

/** Oldest Go release the recorder supports. */
export const MIN_GO_MINOR = 21;

/** An error about the Go toolchain, with a one-line message meant for the user. */
export class GoToolchainError extends Error {}

/** Finds the go binary: an explicit path (option or `envtrace.goPath`), else `go` on PATH. */
export function findGo(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (explicit) {
    const p = isAbsolute(explicit) || explicit.includes('/') || explicit.includes('\\') ? resolve(cwd, explicit) : explicit;
    if (p !== explicit || isAbsolute(p)) {
      if (!isExecutable(p)) throw new GoToolchainError(`go not found at ${p} (check envtrace.goPath / --go)`);
      return p;
    }
  }
  const name = explicit || 'go';
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, name + ext.toLowerCase());
      if (isExecutable(p)) return p;
    }
  }
  throw new GoToolchainError(`"${name}" not found on PATH: install Go 1.${MIN_GO_MINOR} or newer, or set envtrace.goPath`);
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Parses "go1.23.4", "go1.21rc2", "go1.26-devel" into [major, minor]; null when unrecognised. */
export function parseGoVersion(v: string): [number, number] | null {
  const m = /^go(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Runs `go env` (once) in the user's project directory and checks the version is supported. */
export function goEnv(go: string, cwd: string, env: NodeJS.ProcessEnv): Promise<GoEnv> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      go,
      ['env', '-json', 'GOROOT', 'GOVERSION', 'GOOS', 'GOARCH', 'GOMODCACHE', 'GOFLAGS'],
      { cwd, env, maxBuffer: 1 << 20, windowsHide: true },
      (err, stdout, stderr) => {
        if (err) {
          const detail = (stderr || err.message).trim().split('\n')[0];
          reject(new GoToolchainError(`"${go} env" failed in ${cwd}: ${detail}`));
          return;
        }
        let j: Record<string, string>;
        try {
          j = JSON.parse(stdout) as Record<string, string>;
        } catch {
          reject(new GoToolchainError(`"${go} env -json" printed no JSON`));
          return;
        }
        const goVersion = j.GOVERSION ?? '';
        const ver = parseGoVersion(goVersion);
        if (!ver) {
          reject(new GoToolchainError(`unrecognised Go version "${goVersion}" from ${go}`));
          return;
        }
        if (ver[0] === 1 && ver[1] < MIN_GO_MINOR) {
          reject(new GoToolchainError(`${goVersion} is not supported: envtrace needs Go 1.${MIN_GO_MINOR} or newer`));
          return;
        }
        if (!j.GOROOT) {
          reject(new GoToolchainError(`${go} reports no GOROOT`));
          return;
        }
        resolvePromise({ go, goroot: j.GOROOT, goVersion, goos: j.GOOS, goarch: j.GOARCH, gomodcache: j.GOMODCACHE ?? '', goflags: j.GOFLAGS ?? '' });
      },
    );
  });
}
