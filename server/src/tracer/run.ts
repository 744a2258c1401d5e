/**
 * Runs a command under trace: spawns it with stdio inherited and the traced environment,
 * forwards SIGINT/SIGTERM/SIGHUP to it, and resolves with its exit status (128 + signal
 * number when a signal ended it). Outside a terminal the command gets its own process group
 * (session), and a guard kills that group if envtrace dies without ending the run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { startGuard } from './guard';

/** How to run a traced command. */
export interface RunTracedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether envtrace's own stdin is a terminal (then Ctrl-C already reached the whole process group). */
  stdinIsTty?: boolean;
  /** Signals held while the run was set up: released once the forwarding handlers are installed. */
  held?: HeldSignals;
  /** Called with the command's pid once it started (run.json keeps it to name the go command's parent). */
  onSpawn?: (pid: number) => void;
}

/** A command that could not be started (not found, not executable): one line for the user. */
export class SpawnError extends Error {}

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Signals that arrived while a run was being set up. */
export interface HeldSignals {
  /** The first signal that arrived so far, or null. */
  readonly first: NodeJS.Signals | null;
  /** Stops holding (again: no-op). */
  release(): void;
}

/**
 * Holds SIGINT/SIGTERM/SIGHUP while a run is set up (its directory exists before its command
 * starts): a stop asked for then must end the run stored, not kill envtrace mid-way. Hand
 * them to runTraced (`held`), which releases them once its own handlers are in place: a
 * signal still queued (the loop was busy) then reaches those, where removing the last
 * listener first would have dropped it.
 */
export function holdSignals(): HeldSignals {
  let first: NodeJS.Signals | null = null;
  const handlers = FORWARDED.map((sig) => {
    const h = () => {
      first ??= sig;
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    get first() {
      return first;
    },
    release: () => handlers.forEach(([sig, h]) => process.off(sig, h)),
  };
}

/** The exit status of a command ended by `sig` (128 + its number), as a shell reports it. */
export function signalStatus(sig: NodeJS.Signals): number {
  return 128 + (constants.signals[sig] ?? 1);
}

/** Runs `command` (argv) and resolves with its exit status. */
export function runTraced(command: string[], opts: RunTracedOptions): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    // NOTE: in a terminal the command stays in the terminal's foreground group: a new session
    // would lose /dev/tty (password prompts of git, ssh) and Ctrl-C would no longer reach it.
    const ownGroup = !opts.stdinIsTty && process.platform !== 'win32';
    const child = spawn(command[0], command.slice(1), { cwd: opts.cwd, env: opts.env, stdio: 'inherit', detached: ownGroup });
    const guard = child.pid ? startGuard(child.pid, ownGroup) : null;
    if (child.pid) opts.onSpawn?.(child.pid);
    const handlers = FORWARDED.map((sig) => {
      const h = () => {
        // NOTE: a terminal's Ctrl-C goes to the whole foreground process group; forwarding it
        // again would deliver it twice, and a second SIGINT often means "exit now".
        if (sig === 'SIGINT' && opts.stdinIsTty) return;
        forwardSignal(child.pid, sig);
      };
      process.on(sig, h);
      return [sig, h] as const;
    });
    opts.held?.release();
    const cleanup = () => {
      handlers.forEach(([sig, h]) => process.off(sig, h));
      guard?.release();
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      cleanup();
      reject(new SpawnError(e.code === 'ENOENT' ? `command not found: ${command[0]}` : `cannot run ${command[0]}: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      cleanup();
      resolvePromise(code ?? (signal ? signalStatus(signal) : 129));
    });
  });
}

/**
 * Sends `sig` to the child and its descendants. `go run`/`go test` ignore SIGINT and die on
 * SIGTERM without passing it on, so the go command itself is skipped and the programs it
 * started get the signal directly; the go command then reports their exit.
 */
export function forwardSignal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  const tree = descendants(pid);
  const targets = tree.length ? tree.filter((p) => p.comm !== 'go' || !p.hasChildren) : [{ pid }];
  for (const t of targets) {
    try {
      process.kill(t.pid, sig);
    } catch {
      // already gone
    }
  }
}

interface Proc {
  pid: number;
  comm: string;
  hasChildren: boolean;
}

/** The process tree under `root` (root included), read from /proc; empty where there is no /proc. */
function descendants(root: number): Proc[] {
  if (!existsSync('/proc/self/stat')) return [];
  const children = new Map<number, number[]>();
  const comms = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(join('/proc', name, 'stat'), 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      comms.set(Number(name), comm);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // exited while we looked
    }
  }
  const out: Proc[] = [];
  const walk = (pid: number) => {
    const kids = children.get(pid) ?? [];
    out.push({ pid, comm: comms.get(pid) ?? '', hasChildren: kids.length > 0 });
    kids.forEach(walk);
  };
  walk(root);
  return out;
}

/** True until a traced build has completed once with this overlay (the standard library is then in the build cache). */
export function firstBuild(overlayPath: string): boolean {
  return !existsSync(join(dirname(overlayPath), '.compiled'));
}

/** Notes that a build with this overlay has completed. */
export function markBuilt(overlayPath: string): void {
  try {
    writeFileSync(join(dirname(overlayPath), '.compiled'), new Date().toISOString() + '\n');
  } catch {
    // the cache is read-only: the message just shows again next time
  }
}
