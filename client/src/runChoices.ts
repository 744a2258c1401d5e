/** What "Run with envtrace" offers to run in a folder. No `vscode` import: unit tests load this file. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The directory of the go.mod that contains `dir`, searching up to `stop`. */
export function moduleRoot(dir: string, stop: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'go.mod'))) return d;
    if (d === stop || path.dirname(d) === d || !d.startsWith(stop)) return undefined;
  }
}

/** `./rel/pkg` (or `.`) for a package directory relative to its module root. */
export function packageArg(moduleDir: string, pkgDir: string): string {
  const rel = path.relative(moduleDir, pkgDir).split(path.sep).join('/');
  return rel ? `./${rel}` : '.';
}

/** The shell command line as an argv for the platform's shell. */
export function shellCommand(line: string): string[] {
  return process.platform === 'win32' ? ['cmd.exe', '/d', '/s', '/c', line] : ['/bin/sh', '-c', line];
}

/** One entry of the picker: a command (argv, run in `cwd` relative to the folder) or the custom-command entry. */
export interface RunChoice {
  label: string;
  description: string;
  command?: string[];
  cwd?: string;
  taskLabel?: string;
  custom?: boolean;
}

/**
 * The choices for `root`: the active Go file's main package and package tests, the module's
 * `go run .` (only when its root is a main package) and `go test ./...`, the last custom
 * command, and a custom command; each command (in its directory) once.
 */
export function runChoices(o: { root: string; active?: { path: string; text: string }; testFlags: string[]; remembered?: string }): RunChoice[] {
  const { root, active, testFlags: flags } = o;
  const out: RunChoice[] = [];
  if (active) {
    const pkgDir = path.dirname(active.path);
    const mod = moduleRoot(pkgDir, root);
    if (mod) {
      const pkg = packageArg(mod, pkgDir);
      const cwd = path.relative(root, mod) || undefined;
      if (/^\s*package\s+main\b/m.test(active.text) && !active.path.endsWith('_test.go')) {
        out.push({ label: `$(play) go run ${pkg}`, description: 'the main package of the active file', command: ['go', 'run', pkg], cwd });
      }
      out.push({ label: `$(beaker) go test ${pkg}`, description: "the active file's package tests", command: ['go', 'test', ...flags, pkg], cwd });
    }
  }
  const mod = moduleRoot(root, root) ?? findModule(root);
  if (mod) {
    const cwd = path.relative(root, mod) || undefined;
    if (isMainPackage(mod)) {
      out.push({ label: '$(package) go run .', description: `the module at ${path.relative(root, mod) || 'the folder root'}`, command: ['go', 'run', '.'], cwd });
    }
    out.push({ label: '$(beaker) go test ./...', description: 'every package of the module', command: ['go', 'test', ...flags, './...'], cwd });
  }
  if (o.remembered) out.push({ label: `$(terminal) ${o.remembered}`, description: 'the last custom command', command: shellCommand(o.remembered), taskLabel: o.remembered });
  out.push({ label: '$(edit) Custom command…', description: 'e.g. make test', custom: true });
  const seen = new Set<string>();
  return out.filter((c) => {
    if (!c.command) return true;
    const id = JSON.stringify([c.command, c.cwd ?? '']);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** True when `dir` holds a non-test Go file of `package main`. */
export function isMainPackage(dir: string): boolean {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'))
      .some((n) => /^\s*package\s+main\b/m.test(fs.readFileSync(path.join(dir, n), 'utf8')));
  } catch {
    return false;
  }
}

/** A go.mod directly below the folder root (a folder holding one module in a subdirectory). */
function findModule(root: string): string | undefined {
  try {
    for (const e of fs.readdirSync(root, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith('.') && fs.existsSync(path.join(root, e.name, 'go.mod'))) return path.join(root, e.name);
    }
  } catch {
    // unreadable folder: no module
  }
  return undefined;
}
