import { join } from 'node:path';
import { CliError, type Io } from './io';
import { GoToolchainError, PatchError, prepareOverlay, type PreparedOverlay } from '../tracer/overlay';
import { firstBuild, markBuilt, runTraced, SpawnError } from '../tracer/run';

/**
 * `envtrace build [go build flags] [packages]`: `go build` with the recorder compiled in. Every
 * argument goes to `go build` unchanged (same flags, same output names), plus envtrace's
 * `-overlay`; a `-overlay` of the user's (command line, else GOFLAGS) is merged into it. The
 * binary records nothing unless ENVTRACE_DIR is set when it runs (docs/FORMATS.md section 2).
 * Exits with go build's status.
 */
export async function buildCommand(args: string[], io: Io): Promise<number> {
  const { rest, userOverlay } = takeOverlayFlag(args);
  let overlay: PreparedOverlay;
  try {
    overlay = await prepareOverlay({ cwd: io.cwd, env: io.env, userOverlay, log: (m) => io.err(m + '\n') });
  } catch (e) {
    if (e instanceof GoToolchainError || e instanceof PatchError) throw new CliError(e.message);
    throw e;
  }
  if (firstBuild(overlay.overlayPath)) {
    io.err(`envtrace: the first build with the recorder on ${overlay.goVersion} recompiles part of the standard library (later builds are cached)\n`);
  }
  // NOTE: -overlay goes on the command line, which overrides one in GOFLAGS (merged above), so
  // the user's GOFLAGS and go env file stay as they are. No -count=1: nothing is cached by result.
  const go = overlay.toolchain ? join(overlay.toolchain.bin, process.platform === 'win32' ? 'go.exe' : 'go') : overlay.go;
  const env = overlay.toolchain ? { ...io.env, GOROOT: overlay.toolchain.goroot, GOTOOLCHAIN: 'local' } : io.env;
  let code: number;
  try {
    code = await runTraced([go, 'build', `-overlay=${overlay.overlayPath}`, ...rest], { cwd: io.cwd, env, stdinIsTty: process.stdin.isTTY === true });
  } catch (e) {
    if (e instanceof SpawnError) throw new CliError(e.message, 127);
    throw e;
  }
  if (code === 0) markBuilt(overlay.overlayPath);
  return code;
}

/** Splits a `-overlay=FILE` / `-overlay FILE` (one or two dashes) off go build's arguments. */
export function takeOverlayFlag(args: readonly string[]): { rest: string[]; userOverlay?: string } {
  const rest: string[] = [];
  let userOverlay: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const m = /^--?overlay(?:=(.*))?$/s.exec(args[i]);
    if (!m) {
      rest.push(args[i]);
      continue;
    }
    if (m[1] !== undefined) userOverlay = m[1];
    else if (i + 1 < args.length) userOverlay = args[++i];
    else throw new CliError('-overlay needs a file');
  }
  return { rest, userOverlay };
}
