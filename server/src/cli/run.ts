import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { emitRun } from './output';
import { CliError, type Io } from './io';
import { parseTraceFlags, type TraceFlags } from './traceFlags';
import { declaredSecretPatterns } from './declaredSecrets';
import { readGitHead } from './gitHead';
import { checkRedactFlags } from './redactFlags';
import { GoToolchainError, PatchError, prepareOverlay, type PreparedOverlay, traceEnv } from '../tracer/overlay';
import { firstBuild, holdSignals, markBuilt, runTraced, signalStatus, SpawnError } from '../tracer/run';
import { aliveFifo } from '../tracer/guard';
import { SETTINGS } from '../tracer/settings';
import { createRun, pruneRuns, workspaceKey, writeRunInfo, type StoredRun } from '../runs/store';
import { storeFor } from './storeDir';
import { recorderIdentity } from '../runs/liveness';
import { redactArgv } from '../tracer/argv';
import { prepareGoCommand, withGoCommandFirst } from '../tracer/gocmd';
import { defaultCacheDir } from '../tracer/overlay';
import { splitGoFlags } from '../tracer/goflags';
import { GO_CONFIG_KEYS } from '../runs/goCommand';

/** Runs a program and returns its trimmed stdout, or null when it fails. */
export function capture(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((res) => {
    execFile(cmd, args, { cwd, env, windowsHide: true, maxBuffer: 1 << 20 }, (err, stdout) => res(err ? null : stdout.trim()));
  });
}

/** Generates the overlay, turning toolchain problems into one-line errors. */
export async function overlayFor(flags: TraceFlags, io: Io): Promise<PreparedOverlay> {
  try {
    return await prepareOverlay({ cwd: io.cwd, env: io.env, go: flags.go, log: (m) => io.err(m + '\n') });
  } catch (e) {
    if (e instanceof GoToolchainError || e instanceof PatchError) throw new CliError(e.message);
    throw e;
  }
}

/** Creates a run in the store (with run.json) and drops runs beyond --keep. */
export async function registerRun(flags: TraceFlags, overlay: PreparedOverlay, command: string[], mode: 'run' | 'env', io: Io): Promise<{ run: StoredRun; key: string }> {
  const root = storeFor(flags.dir, io);
  // The commit from the repository's files (no process); else git runs while the store is
  // checked and its key read.
  const head = io.env.GIT_DIR === undefined ? readGitHead(io.cwd) : undefined;
  const git = head !== undefined ? Promise.resolve(head) : capture('git', ['rev-parse', 'HEAD'], io.cwd, io.env);
  const key = await workspaceKey(root);
  const gitCommit = await git;
  const run = await createRun(root, {
    label: flags.label,
    // NOTE: run.json keeps the command line for `runs`, reports, diffs and hovers: secret
    // flag values and secret values in it are redacted by the recorder's rules.
    command: flags.noRedact ? command : redactArgv(command, { hashKey: key, env: io.env, patterns: flags.redact }),
    cwd: io.cwd,
    start: new Date().toISOString(),
    end: null,
    exitCode: null,
    goVersion: overlay.goVersion,
    goos: overlay.goos,
    goarch: overlay.goarch,
    gitCommit: gitCommit || null,
    goroot: overlay.goroot,
    gomodcache: overlay.gomodcache || null,
    mode,
    ...(mode === 'run' ? recorderIdentity() : {}),
    ...(flags.noRedact ? { noRedact: true } : {}),
  });
  await pruneRuns(root, flags.keep).catch((e: unknown) => io.err(`envtrace: could not delete old runs: ${e instanceof Error ? e.message : String(e)}\n`));
  return { run, key };
}

/** `envtrace [run] [flags] -- <command…>`: runs the command with every Go program beneath it traced. */
export async function runCommand(args: string[], io: Io): Promise<number> {
  const { flags, command } = parseTraceFlags(args[0] === 'run' ? args.slice(1) : args);
  if (!command.length) throw new CliError('no command to run: envtrace [flags] -- <command...>');
  checkRedactFlags(flags);
  if (!flags.noRedact) flags.redact = [...flags.redact, ...declaredSecretPatterns(io.cwd)];
  storeFor(flags.dir, io);
  if (flags.output !== undefined && flags.output !== '-' && !existsSync(dirname(resolve(io.cwd, flags.output)))) {
    throw new CliError(`--output: directory ${dirname(resolve(io.cwd, flags.output))} does not exist`);
  }
  const overlay = await overlayFor(flags, io);
  const goCommand = flags.goCommand
    ? await prepareGoCommand(overlay, { cacheBase: dirname(defaultCacheDir(io.env)), env: io.env, log: (m) => io.err(m + '\n') })
    : null;
  if (goCommand && 'error' in goCommand) io.err(`envtrace: warning: the go command itself is not traced (${goCommand.error}); running with the real go\n`);
  // From here the run is on disk: a stop (the editor's Stop, Ctrl-C) before the command starts
  // ends it stored, with the signal's status, instead of killing envtrace half-way.
  const held = holdSignals();
  const { run, key } = await registerRun(flags, overlay, command, 'run', io).catch((e: unknown) => {
    held.release();
    throw e;
  });
  if (firstBuild(overlay.overlayPath)) {
    // Said in run.json too, for the editor's progress message.
    run.info.firstBuild = true;
    await writeRunInfo(run.dir, run.info);
    io.err(`envtrace: the first traced build with ${overlay.goVersion} recompiles part of the standard library (a few seconds; later builds are cached)\n`);
  }
  run.info.goCommand = !goCommand ? { traced: false, note: 'off (--no-go-command)' } : 'error' in goCommand ? { traced: false, note: goCommand.error } : { traced: true };
  const tracedEnv = traceEnv(
    {
      overlayPath: overlay.overlayPath, goflags: overlay.goflags, command, runDir: run.dir, runId: run.info.id,
      stack: flags.stack, redact: flags.redact, noRedact: flags.noRedact, fullEnv: flags.fullEnv, hashKey: key, race: flags.race,
    },
    io.env,
  );
  run.info.goEnv = goEnvOf(io.env, tracedEnv, overlay.goflags);
  const env = goCommand && 'bin' in goCommand ? withGoCommandFirst(tracedEnv, goCommand.bin) : tracedEnv;
  // Traced processes watch this FIFO and die with envtrace, even when it is killed with SIGKILL.
  const alive = aliveFifo(run.dir);
  if (alive) env[SETTINGS.alive] = alive.path;
  let code: number;
  try {
    // No await between this look and runTraced: its handlers take over from `held` in this tick.
    code = held.first ? signalStatus(held.first) : await runTraced(command, { cwd: io.cwd, env, stdinIsTty: process.stdin.isTTY === true, held, onSpawn: (pid) => (run.info.commandPid = pid) });
  } catch (e) {
    if (e instanceof SpawnError) {
      await writeRunInfo(run.dir, { ...run.info, end: new Date().toISOString(), exitCode: 127 });
      throw new CliError(e.message, 127);
    }
    throw e;
  } finally {
    held.release();
    alive?.close();
  }
  const info = { ...run.info, end: new Date().toISOString(), exitCode: code };
  await writeRunInfo(run.dir, info);
  const traced = (await readdir(run.dir)).some((n) => n.endsWith('.jsonl'));
  if (traced) markBuilt(overlay.overlayPath);
  await emitRun({ dir: run.dir, info }, { format: flags.format, output: flags.output, quiet: flags.quiet, textTo: 'err' }, io);
  return code;
}

/** What envtrace put in the command's environment, for naming where the go command's settings came from. */
function goEnvOf(base: NodeJS.ProcessEnv, traced: NodeJS.ProcessEnv, userGoFlags: string): NonNullable<StoredRun['info']['goEnv']> {
  const keys = [...GO_CONFIG_KEYS];
  const user = new Set(splitGoFlags(userGoFlags));
  return {
    inherited: keys.filter((k) => (base[k] ?? '') !== ''),
    set: keys.filter((k) => (traced[k] ?? '') !== (base[k] ?? '')),
    addedGoFlags: splitGoFlags(traced.GOFLAGS ?? '').filter((f) => !user.has(f)),
  };
}
