import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { devNull } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, type Io } from './io';
import { overlayFor } from './run';
import { parseTraceFlags } from './traceFlags';
import { traceEnv } from '../tracer/overlay';
import { markBuilt, runTraced, SpawnError } from '../tracer/run';

/**
 * `envtrace prebuild [--all] [--if-needed] [--go PATH]`: compiles and vets, with the recorder's overlay, what
 * a traced `go test ./...` in the current directory needs (its packages, their tests and every
 * dependency), or with --all compiles the whole standard library, so that the first traced run
 * finds it all in the go command's build cache. The overlay is
 * per GOROOT and recorder version, not per project (one directory in envtrace's cache), so one
 * prebuild serves every workspace on that toolchain. --if-needed returns at once when this
 * project (same go.mod and go.sum) was prebuilt with this overlay before (the editor runs that at
 * start-up). Says "prebuilding" on stderr before it starts the go command. Runs no test. Exits with the go command's status.
 */
export async function prebuildCommand(args: string[], io: Io): Promise<number> {
  const all = args.includes('--all');
  const ifNeeded = args.includes('--if-needed');
  const { flags, command } = parseTraceFlags(args.filter((a) => a !== '--all' && a !== '--if-needed'), new Set(['go', 'quiet']));
  if (command.length) throw new CliError(`prebuild takes no command or package (got "${command[0]}"): envtrace prebuild [--all] [--if-needed] [--go PATH]`);
  const overlay = await overlayFor(flags, io);
  const marker = join(dirname(overlay.overlayPath), 'prebuilt', projectStamp(io.cwd, all));
  if (ifNeeded && existsSync(marker)) return 0;
  // The environment of a traced build, less the recorder's own settings: same GOFLAGS (the
  // user's, the overlay) and toolchain, so every compile has the action ID the traced one will.
  const env = traceEnv({ overlayPath: overlay.overlayPath, goflags: overlay.goflags, runDir: '', runId: '', toolchain: overlay.toolchain }, io.env);
  for (const k of Object.keys(env)) if (k.toUpperCase().startsWith('ENVTRACE_')) delete env[k];
  const go = overlay.toolchain ? join(overlay.toolchain.bin, process.platform === 'win32' ? 'go.exe' : 'go') : overlay.go;
  // NOTE: `go test -c`, not `go build`: go test also vets each package, which needs vet's facts
  // about every dependency; those are cached by the dependencies' compiled content, so a first
  // traced `go test` would otherwise vet the whole standard library again (most of its time).
  // -c builds the test binaries (to the null device) without running them.
  const goArgs = all ? ['build', 'std'] : ['test', '-c', '-o', devNull, './...'];
  if (!flags.quiet) io.err(`envtrace: prebuilding ${all ? 'the standard library' : 'the packages of ./... and their tests'} with the recorder for ${overlay.goVersion}\n`);
  let code: number;
  try {
    code = await runTraced([go, ...goArgs], { cwd: io.cwd, env, stdinIsTty: false });
  } catch (e) {
    if (e instanceof SpawnError) throw new CliError(e.message, 127);
    throw e;
  }
  if (code === 0) {
    markBuilt(overlay.overlayPath);
    try {
      mkdirSync(dirname(marker), { recursive: true });
      writeFileSync(marker, `${io.cwd}\n`);
    } catch {
      // a read-only cache: --if-needed builds again (quickly, from the go command's cache)
    }
  }
  return code;
}

/** What a prebuild of `cwd` depends on besides the overlay: the directory and its go.mod and go.sum. */
function projectStamp(cwd: string, all: boolean): string {
  const stamp = (f: string): string => {
    try {
      const st = statSync(join(cwd, f));
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return createHash('sha256').update(JSON.stringify([all ? '' : cwd, all, stamp('go.mod'), stamp('go.sum')])).digest('hex').slice(0, 24);
}
