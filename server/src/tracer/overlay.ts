import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { findGo, goEnv, GoToolchainError } from './goenv';
import { cachedGoEnv } from './goenvCache';
import { quoteGoFlag, TOOLCHAIN_FILE, userOverlay } from './goflags';
import { applyPatch, PATCHES, PatchError } from './patches';

export { traceEnv, traceSettings, traceGoFlags, type TraceEnvOptions } from './goflags';
export { GoToolchainError } from './goenv';
export { PatchError } from './patches';

/** Options of prepareOverlay. */
export interface PrepareOverlayOptions {
  /** go binary (option / `envtrace.goPath`); default: `go` on PATH. */
  go?: string;
  /** The user's project directory (`go env` runs there, so go.mod's toolchain applies). */
  cwd: string;
  /** Where overlays are cached; default `$XDG_CACHE_HOME/envtrace/overlay` or `~/.cache/envtrace/overlay`. */
  cacheDir?: string;
  /** Progress messages (e.g. "generating overlay for go1.26.8"). */
  log?: (msg: string) => void;
  /** Environment for `go env` (which resolves the user's GOFLAGS) and for finding go; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Directory holding the recorder's Go fragments; default: found beside the bundle or in server/go. */
  goSourceDir?: string;
  /**
   * A user's overlay file given on the go command line (`envtrace build -overlay=FILE`): merged
   * instead of one in GOFLAGS, which the command line's would override.
   */
  userOverlay?: string;
}

/** A generated overlay for one GOROOT + Go version. */
export interface PreparedOverlay {
  /** The file to pass as `-overlay=` (includes a user's own GOFLAGS overlay, merged). */
  overlayPath: string;
  /** The go binary that was asked. */
  go: string;
  goroot: string;
  goVersion: string;
  goos: string;
  goarch: string;
  /** Module cache of the toolchain (recorded in run.json; saves a second `go env`). */
  gomodcache: string;
  /**
   * The user's effective GOFLAGS (`go env GOFLAGS`: environment, go env file or GOROOT/go.env),
   * to pass on to traceEnv as `goflags` so the traced build keeps every flag the user set.
   */
  goflags: string;
  /** True when the overlay was generated now, false when reused from the cache. */
  fresh: boolean;
  /**
   * Set when the toolchain lives in the module cache (a GOTOOLCHAIN download): Go 1.25+
   * refuses overlays there, so envtrace runs it through a mirror GOROOT of symlinks. Pass it
   * on to traceEnv (it sets GOROOT, GOTOOLCHAIN=local and puts `bin` first on PATH).
   */
  toolchain?: { goroot: string; bin: string };
}

/** Default cache directory for overlays. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : tmpdir());
  return join(base, 'envtrace', 'overlay');
}

/** Finds server/go (dev and tests) or dist/go (bundle). */
export function findGoSourceDir(): string {
  const candidates = [join(__dirname, 'go'), resolve(__dirname, '..', '..', '..', '..', 'server', 'go'), resolve(__dirname, '..', '..', 'go')];
  const found = candidates.find((c) => existsSync(join(c, 'syscall', 'env')));
  if (!found) throw new Error(`recorder sources not found (looked in ${candidates.join(', ')})`);
  return found;
}

function sha(...parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

function recorderHash(goSrc: string): string {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.go')) files.push(join(d, e.name));
    }
  };
  walk(goSrc);
  return sha(JSON.stringify(PATCHES), ...files.map((f) => readFileSync(f)));
}

/** Generates (or reuses) the overlay for the Go toolchain that builds the project in `cwd`. */
export async function prepareOverlay(opts: PrepareOverlayOptions): Promise<PreparedOverlay> {
  const env = opts.env ?? process.env;
  const go = findGo(opts.go, env, opts.cwd);
  // NOTE: the environment goes to `go env` unchanged: `go env` never reads the overlay file (a
  // stale one does no harm), and dropping an -overlay from a GOFLAGS that holds nothing else
  // would make the go command fall back to the go env file's GOFLAGS, which the real build
  // does not use.
  const cacheBase = opts.cacheDir ?? defaultCacheDir(env);
  // `go env` answers are cached per go binary, environment and project (goenvCache.ts).
  const askGo = (bin: string, e: NodeJS.ProcessEnv) => cachedGoEnv(join(cacheBase, 'goenv'), bin, opts.cwd, e, () => goEnv(bin, opts.cwd, e));
  let ge = await askGo(go, env);
  let toolchain: PreparedOverlay['toolchain'];
  if (ge.gomodcache && isBeneath(ge.goroot, ge.gomodcache)) {
    const mirror = mirrorGoroot(ge.goroot, join(cacheBase, 'goroot', `${ge.goVersion}-${sha(ge.goroot).slice(0, 8)}`));
    toolchain = { goroot: mirror, bin: join(mirror, 'bin') };
    const mirrorGo = join(mirror, 'bin', process.platform === 'win32' ? 'go.exe' : 'go');
    ge = await askGo(mirrorGo, { ...env, GOROOT: mirror, GOTOOLCHAIN: 'local' });
  }
  const goSrc = opts.goSourceDir ?? findGoSourceDir();
  const originals = PATCHES.map((p) => {
    const path = join(ge.goroot, ...p.file.split('/'));
    if (!existsSync(path)) {
      throw new GoToolchainError(`envtrace cannot patch ${ge.goVersion}: ${path} does not exist`);
    }
    return readFileSync(path, 'utf8');
  });
  const key = sha(ge.goroot, ge.goVersion, recorderHash(goSrc), ...originals).slice(0, 20);
  const dir = join(cacheBase, key);
  const base = join(dir, 'overlay.json');
  let fresh = false;
  if (!existsSync(base)) {
    opts.log?.(`envtrace: generating the standard-library overlay for ${ge.goVersion} (${ge.goroot})`);
    const replace: Record<string, string> = {};
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    try {
      PATCHES.forEach((p, i) => {
        const text = applyPatch(p, originals[i], ge.goVersion, goSrc);
        const out = join(tmp, ...p.file.split('/'));
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, text);
        replace[join(ge.goroot, ...p.file.split('/'))] = join(dir, ...p.file.split('/'));
      });
      writeFileSync(join(tmp, 'overlay.json'), JSON.stringify({ Replace: replace }, null, 1));
      mkdirSync(dirname(dir), { recursive: true });
      try {
        renameSync(tmp, dir);
      } catch (e) {
        if (!existsSync(base)) throw e; // else a concurrent run won the race; use its result
      }
    } catch (e) {
      if (e instanceof PatchError) throw e;
      throw new GoToolchainError(`cannot write the overlay cache ${dir}: ${(e as Error).message}`);
    } finally {
      try {
        rmSync(tmp, { recursive: true, force: true });
      } catch {
        // nothing was created
      }
    }
    fresh = true;
  }
  const tcFile = join(dir, TOOLCHAIN_FILE);
  if (toolchain && !existsSync(tcFile)) writeFileSync(tcFile, JSON.stringify(toolchain));
  const userFlags = opts.userOverlay !== undefined ? quoteGoFlag(`-overlay=${opts.userOverlay}`) : ge.goflags;
  const overlayPath = mergeUserOverlay(base, dir, cacheBase, userFlags, opts.cwd);
  return {
    overlayPath, go: ge.go, goroot: ge.goroot, goVersion: ge.goVersion, goos: ge.goos, goarch: ge.goarch,
    gomodcache: ge.gomodcache, goflags: ge.goflags, fresh, toolchain,
  };
}

function isBeneath(p: string, dir: string): boolean {
  const rel = relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** A directory of symlinks to each entry of goroot, so the go command sees a GOROOT outside the module cache. */
function mirrorGoroot(goroot: string, mirror: string): string {
  if (existsSync(join(mirror, 'src'))) return mirror;
  const tmp = `${mirror}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const e of readdirSync(goroot)) symlinkSync(join(goroot, e), join(tmp, e));
  try {
    renameSync(tmp, mirror);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(mirror, 'src'))) throw e;
  }
  return mirror;
}

function stripOverlayFlag(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // The check passes -overlay on the command line; a second one in GOFLAGS (e.g. a stale one
  // from `envtrace env`) would only confuse its message.
  return { ...env, GOFLAGS: (env.GOFLAGS ?? '').replace(/(^|\s)--?overlay=\S+/g, '') };
}

/** Merges a user's own GOFLAGS `-overlay` into ours (only one -overlay flag is allowed). */
function mergeUserOverlay(base: string, dir: string, cacheRoot: string, goflags: string | undefined, cwd: string): string {
  const user = userOverlay(goflags);
  if (!user) return base;
  const userPath = isAbsolute(user) ? user : resolve(cwd, user);
  // An envtrace overlay left in GOFLAGS (e.g. by `eval $(envtrace env)`) is not the user's.
  if (isBeneath(resolve(userPath), resolve(cacheRoot))) return base;
  let userJson: { Replace?: Record<string, string> };
  try {
    userJson = JSON.parse(readFileSync(userPath, 'utf8'));
  } catch (e) {
    throw new GoToolchainError(`cannot read the -overlay file from GOFLAGS (${userPath}): ${(e as Error).message}`);
  }
  const ours = JSON.parse(readFileSync(base, 'utf8')) as { Replace: Record<string, string> };
  const merged: Record<string, string> = { ...ours.Replace };
  for (const [from, to] of Object.entries(userJson.Replace ?? {})) {
    const abs = isAbsolute(from) ? from : resolve(dirname(userPath), from);
    if (merged[abs] !== undefined) {
      throw new GoToolchainError(`your -overlay (${userPath}) replaces ${abs}, which envtrace must replace too`);
    }
    merged[abs] = to === '' || isAbsolute(to) ? to : resolve(dirname(userPath), to);
  }
  const text = JSON.stringify({ Replace: merged }, null, 1);
  const out = join(dir, `merged-${sha(text).slice(0, 16)}.json`);
  if (!existsSync(out) || statSync(out).size !== Buffer.byteLength(text)) writeFileSync(out, text);
  return out;
}

/**
 * Compiles syscall, os, os/exec, time and testing with the overlay, then a probe that only
 * compiles when the overlay was applied (for `envtrace doctor`).
 */
export async function verifyOverlay(
  o: PreparedOverlay,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ok: boolean; output: string }> {
  const goEnv = { ...stripOverlayFlag(env), ...(o.toolchain ? { GOROOT: o.toolchain.goroot, GOTOOLCHAIN: 'local' } : {}) };
  const go = (args: string[]): Promise<{ ok: boolean; output: string }> =>
    new Promise((res) => {
      execFile(o.go, args, { cwd, env: goEnv, maxBuffer: 4 << 20, windowsHide: true }, (err, stdout, stderr) =>
        res({ ok: !err, output: (stdout + stderr).trim() }),
      );
    });
  const std = await go(['build', `-overlay=${o.overlayPath}`, 'syscall', 'os', 'os/exec', 'time', 'testing']);
  if (!std.ok) return std;
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-probe-'));
  try {
    const probe = join(dir, 'probe.go');
    writeFileSync(probe, 'package main\n\nimport "syscall"\n\nfunc main() { syscall.EnvtraceTestStart("") }\n');
    const r = await go(['build', `-overlay=${o.overlayPath}`, '-o', join(dir, 'probe.exe'), probe]);
    return r.ok ? r : { ok: false, output: `the overlay was not applied to ${o.goroot}: ${r.output}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
