/**
 * The traced go command: cmd/go built from the user's GOROOT with envtrace's overlay, put
 * first on PATH for a traced command so that every go command beneath it (run directly, from
 * make or a script, or by a traced Go program) records its own environment reads.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { PreparedOverlay } from './overlay';

/** A usable traced go command. */
export interface TracedGoCommand {
  /** The directory holding `go` (put first on PATH). */
  bin: string;
  /** True when it was built now. */
  fresh: boolean;
  /** Seconds the build took (when fresh). */
  seconds?: number;
}

/** Why the go command could not be traced (said once; the real go runs instead). */
export interface GoCommandProblem {
  error: string;
}

const EXE = process.platform === 'win32' ? 'go.exe' : 'go';
const FAILED = 'failed.txt';

/** Where the traced go for this overlay lives: one per GOROOT, version and overlay. */
export function goCommandDir(o: Pick<PreparedOverlay, 'overlayPath' | 'goroot' | 'goVersion'>, cacheBase: string): string {
  const key = createHash('sha256').update(`${o.goroot}\0${o.goVersion}\0${o.overlayPath}`).digest('hex').slice(0, 20);
  return join(cacheBase, 'gocmd', `${o.goVersion}-${key}`);
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; out: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { cwd, env, maxBuffer: 8 << 20, windowsHide: true }, (err, stdout, stderr) => {
      res({ ok: !err, out: (stdout + stderr).trim() || (err?.message ?? '') });
    });
  });
}

/** The environment that builds and checks cmd/go: no user flags, files, cross settings or tracing. */
function buildEnv(o: PreparedOverlay, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.toUpperCase().startsWith('ENVTRACE_')) out[k] = v;
  for (const k of ['GOOS', 'GOARCH', 'GOFLAGS', 'GOWORK', 'GO111MODULE', 'GOEXPERIMENT', 'GOAMD64', 'GOARM', 'GOARM64', 'GO386']) delete out[k];
  // NOTE: GOENV=off keeps a `go env -w GOOS=windows` (or GOFLAGS=-mod=vendor) from reaching
  // this build: the traced go must run on this machine whatever the user's settings say.
  Object.assign(out, { GOENV: 'off', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' });
  if (o.toolchain) out.GOROOT = o.toolchain.goroot;
  // NOTE: the build runs in GOROOT/src; a mirrored GOROOT's src is a symlink, and without a
  // matching PWD the go command would see the resolved path, which the overlay does not name.
  out.PWD = join(o.toolchain?.goroot ?? o.goroot, 'src');
  return out;
}

/**
 * Builds (or reuses) the traced go for `o`. Never throws: a problem comes back as
 * `{ error }`, remembered in the cache so the next run says it without building again.
 */
export async function prepareGoCommand(
  o: PreparedOverlay,
  opts: { cacheBase: string; env: NodeJS.ProcessEnv; log?: (msg: string) => void },
): Promise<TracedGoCommand | GoCommandProblem> {
  const dir = goCommandDir(o, opts.cacheBase);
  const bin = join(dir, 'bin');
  if (existsSync(join(bin, EXE))) return { bin, fresh: false };
  const failed = join(dir, FAILED);
  if (existsSync(failed)) return { error: `${readFileSync(failed, 'utf8').trim()} (remembered; delete ${dir} to try again)` };
  const goroot = o.toolchain?.goroot ?? o.goroot;
  const go = o.toolchain ? join(o.toolchain.bin, EXE) : o.go;
  const remember = (error: string): GoCommandProblem => {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(failed, error + '\n');
    } catch {
      // a read-only cache: the reason shows again next time
    }
    return { error };
  };
  if (!existsSync(join(goroot, 'src', 'cmd', 'go', 'main.go'))) return remember(`${goroot} has no source of cmd/go`);
  const env = buildEnv(o, opts.env);
  const tmp = `${dir}.tmp-${process.pid}`;
  const started = Date.now();
  opts.log?.(`envtrace: building a traced go command from ${goroot} (${o.goVersion}; once, cached in ${dir})`);
  try {
    mkdirSync(join(tmp, 'bin'), { recursive: true });
    const overlay = cmdGoOverlay(o.overlayPath, goroot, tmp);
    if (!overlay.patched) opts.log?.(`envtrace: note: ${o.goVersion}'s go command puts its own GOROOT/bin first on PATH for programs it runs; a go those run is the real one`);
    const b = await run(go, ['build', `-overlay=${overlay.path}`, '-o', join(tmp, 'bin', EXE), 'cmd/go'], join(goroot, 'src'), env);
    if (!b.ok) return remember(`building cmd/go failed: ${b.out.split('\n').slice(0, 3).join(' / ')}`);
    // The traced go must find the same GOROOT (and so the same compile, link and vet) as the real one.
    // It records (the overlay reached cmd/go's syscall) and finds the real GOROOT.
    const probe = join(tmp, 'probe');
    mkdirSync(probe);
    const check = await run(join(tmp, 'bin', EXE), ['env', 'GOROOT', 'GOVERSION'], goroot, { ...env, ENVTRACE_DIR: probe, ENVTRACE_RUN: 'probe' });
    const [root, version] = check.out.split('\n');
    if (!check.ok || root !== goroot || version !== o.goVersion) {
      return remember(`the built go reports GOROOT ${root ?? '?'} and ${version ?? '?'}, not ${goroot} and ${o.goVersion}`);
    }
    if (!readdirSync(probe).some((n) => n.endsWith('.jsonl'))) return remember(`the overlay did not reach ${o.goVersion}'s cmd/go build (the built go records nothing)`);
    mkdirSync(dir, { recursive: true });
    // NOTE: a concurrent run may have finished first and be running its go: keep that one.
    if (!existsSync(join(bin, EXE))) {
      try {
        renameSync(join(tmp, 'bin'), bin);
      } catch (e) {
        if (!existsSync(join(bin, EXE))) throw e;
      }
    }
  } catch (e) {
    return remember(`cannot build into ${dir}: ${(e as Error).message}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const seconds = (Date.now() - started) / 1000;
  opts.log?.(`envtrace: traced go command ready (${seconds.toFixed(1)} s)`);
  return { bin, fresh: true, seconds };
}

// cmd/go puts $GOROOT/bin first on PATH for the programs `go run`, `go test` and
// `go generate` start (base.AppendPATH): a traced program running `go` would get the real one.
// The traced go puts its own directory before that.
const APPEND_PATH = 'return append(base, pathVar+"="+cfg.GOROOTbin+string(os.PathListSeparator)+path)';
const APPEND_PATH_SELF =
  'if self, err := os.Executable(); err == nil && filepath.Dir(self) != cfg.GOROOTbin { return append(base, pathVar+"="+filepath.Dir(self)+string(os.PathListSeparator)+cfg.GOROOTbin+string(os.PathListSeparator)+path) }; ';

/** The standard-library overlay plus cmd/go's AppendPATH patched (when its anchor is found exactly once). */
function cmdGoOverlay(overlayPath: string, goroot: string, tmp: string): { path: string; patched: boolean } {
  const file = join(goroot, 'src', 'cmd', 'go', 'internal', 'base', 'env.go');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { path: overlayPath, patched: false };
  }
  if (text.split(APPEND_PATH).length !== 2 || !text.includes('"path/filepath"')) return { path: overlayPath, patched: false };
  const patched = join(tmp, 'base-env.go');
  // Same line, so the file's line numbers do not move.
  writeFileSync(patched, text.replace(APPEND_PATH, APPEND_PATH_SELF + APPEND_PATH));
  const ov = JSON.parse(readFileSync(overlayPath, 'utf8')) as { Replace: Record<string, string> };
  const path = join(tmp, 'overlay.json');
  writeFileSync(path, JSON.stringify({ Replace: { ...ov.Replace, [file]: patched } }));
  return { path, patched: true };
}

/** `env` with the traced go's directory first on PATH. */
export function withGoCommandFirst(env: NodeJS.ProcessEnv, bin: string): NodeJS.ProcessEnv {
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  return { ...env, [pathKey]: bin + delimiter + (env[pathKey] ?? '') };
}
