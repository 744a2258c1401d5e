/**
 * What stops a traced command when envtrace dies without cleaning up (kill -9, OOM killer):
 * a small `sh` beside envtrace reads a pipe from it; when the pipe closes without the word
 * "done" (envtrace is gone), it sends SIGKILL to the traced command's process group (or, for a
 * command that shares envtrace's group, to the command itself). The recorder in each traced Go
 * program watches a FIFO the same way (ENVTRACE_ALIVE, see server/go/syscall/exec_linux).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, fstatSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** A running guard; release() when the traced command has ended normally. */
export interface Guard {
  release(): void;
}

// HUP/INT/TERM are ignored so a Ctrl-C or hangup of envtrace's group does not end the guard
// before envtrace has passed the signal on; only the pipe's end matters.
const SCRIPT = `trap '' HUP INT TERM; read -r word; [ "$word" = done ] || kill -9 "$1" 2>/dev/null`;

/** Starts a guard for `pid`; `group`: the command leads its own process group, kill the whole group. */
export function startGuard(pid: number, group: boolean): Guard | null {
  if (process.platform === 'win32') return null;
  let guard;
  try {
    guard = spawn('sh', ['-c', SCRIPT, 'envtrace-guard', group ? `-${pid}` : String(pid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    return null;
  }
  guard.on('error', () => undefined);
  guard.stdin.on('error', () => undefined);
  // Neither the guard nor its pipe keeps envtrace running.
  guard.unref();
  (guard.stdin as unknown as { unref?: () => void }).unref?.();
  return {
    release: () => {
      guard.stdin.end('done\n');
    },
  };
}

/** The FIFO a traced process watches (ENVTRACE_ALIVE); close() when the traced command has ended. */
export interface AliveFifo {
  path: string;
  close(): void;
}

/**
 * Creates `<runDir>/.alive`, a FIFO envtrace keeps open for writing (O_CLOEXEC: no child holds
 * it) until close() or its own death. Linux only (where the recorder watches it); null when
 * it cannot be made.
 */
export function aliveFifo(runDir: string): AliveFifo | null {
  if (process.platform !== 'linux') return null;
  const path = join(runDir, '.alive');
  if (spawnSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' }).status !== 0) return null;
  let fd: number;
  try {
    // Read-write: opening a FIFO for writing alone would wait for a reader.
    fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFIFO()) {
      closeSync(fd);
      return null;
    }
  } catch {
    return null;
  }
  return {
    path,
    close: () => {
      closeSync(fd);
      try {
        unlinkSync(path);
      } catch {
        // already gone with its run
      }
    },
  };
}
