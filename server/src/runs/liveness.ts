/**
 * Whether a run without an end is still being recorded or was interrupted (envtrace killed,
 * the machine rebooted): run.json names the recording envtrace by pid, the pid's start time
 * (Linux) and the host; a run whose recorder is gone is "interrupted" and is shown with what
 * it recorded instead of being hidden as "still running" forever.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** complete: it has an end (or is an `envtrace env` run); running: its envtrace is alive; interrupted: it never will end. */
export type RunState = 'complete' | 'running' | 'interrupted';

/** The fields of run.json that decide a run's state. */
export interface RunLiveness {
  start: string;
  end: string | null;
  mode: 'run' | 'env';
  /** The envtrace process recording the run, its start time (clock ticks after boot, Linux) and host. */
  pid?: number | null;
  pidStart?: string | null;
  host?: string | null;
}

/** Without a pid to check (runs of older versions, another host), a run counts as running this long. */
export const RUNNING_GRACE_MS = 24 * 3600 * 1000;

/** The state of a run. */
export function runState(info: RunLiveness, now = Date.now()): RunState {
  if (info.end !== null || info.mode === 'env') return 'complete';
  if (typeof info.pid === 'number' && Number.isInteger(info.pid) && info.pid > 0 && info.host === hostname()) {
    return processAlive(info.pid, info.pidStart ?? null) ? 'running' : 'interrupted';
  }
  const started = Date.parse(info.start);
  return Number.isFinite(started) && now - started >= RUNNING_GRACE_MS ? 'interrupted' : 'running';
}

/** This process's identity for run.json. */
export function recorderIdentity(): { pid: number; pidStart: string | null; host: string } {
  return { pid: process.pid, pidStart: processStartTime(process.pid), host: hostname() };
}

/** The start time of `pid` (field 22 of /proc/<pid>/stat), so a reused pid is told apart; null without /proc. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function processAlive(pid: number, start: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (start === null) return true;
  const now = processStartTime(pid);
  return now === null || now === start;
}
