/**
 * A cache of `go env` answers, so that `envtrace -- cmd` does not start the go command before
 * every run (issue 17). An answer is reused only while everything it depends on is unchanged:
 * the go binary (path, size, mtime, inode), the GO* variables, HOME, XDG_CONFIG_HOME and PATH
 * of the environment, the go env file (`$GOENV`, written by `go env -w`), the go.mod and go.work
 * nearest the project (their `toolchain` lines switch toolchains) and `$GOROOT/go.env`. One
 * small JSON file per go binary and project files in `<cache>/goenv/`, replaced atomically
 * (files/writeSafe.ts); a file that cannot be read or parsed, or that holds another key, is a
 * miss, never an error.
 */
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { readRegularSync } from '../files/readRegular';
import { ensureOwnDir, replaceFile } from '../files/writeSafe';
import type { GoEnv } from './goenv';

const VERSION = 1;
const MAX_BYTES = 64 << 10;

/** size:mtime:inode of a file, or "-" when it does not exist. */
function stamp(path: string): string {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.size}:${st.mtimeNs}:${st.ino}`;
  } catch {
    return '-';
  }
}

/** The nearest `name` in `dir` or above it, or null. */
function nearest(dir: string, name: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    const p = join(d, name);
    if (stamp(p) !== '-') return p;
    if (dirname(d) === d) return null;
  }
}

/** The go env file the go command reads (`go env GOENV`'s default). */
function goEnvFile(env: NodeJS.ProcessEnv): string {
  if (env.GOENV) return env.GOENV;
  const config = env.XDG_CONFIG_HOME || (process.platform === 'win32' ? env.AppData : undefined) || join(env.HOME || homedir(), '.config');
  return join(config, 'go', 'env');
}

/** What an answer of `go env` run by `go` in `cwd` with `env` depends on, as one string. */
export function goEnvKey(go: string, cwd: string, env: NodeJS.ProcessEnv): string {
  const vars = Object.keys(env)
    .filter((k) => k.startsWith('GO') || ['HOME', 'XDG_CONFIG_HOME', 'PATH', 'AppData'].includes(k))
    .sort()
    .map((k) => [k, env[k]]);
  const mod = nearest(cwd, 'go.mod');
  const work = env.GOWORK ? null : nearest(cwd, 'go.work');
  const envFile = goEnvFile(env);
  return JSON.stringify({
    v: VERSION,
    go,
    goStamp: stamp(go),
    vars,
    envFile: [envFile, stamp(envFile)],
    mod: mod && [mod, stamp(mod)],
    work: work && [work, stamp(work)],
  });
}

/** A short, stable file name for a key (FNV-1a, 2 × 32 bits: collisions only cost a miss). */
function fileName(key: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}.json`;
}

interface Stored {
  key: string;
  /** Stamp of $GOROOT/go.env when the answer was taken. */
  goroot: string;
  answer: GoEnv;
}

function valid(x: unknown, key: string): x is Stored {
  const s = x as Stored | null;
  if (!s || typeof s !== 'object' || s.key !== key || typeof s.goroot !== 'string') return false;
  const a = s.answer as unknown as Record<string, unknown> | null;
  return !!a && ['go', 'goroot', 'goVersion', 'goos', 'goarch', 'gomodcache', 'goflags'].every((f) => typeof a[f] === 'string');
}

/** The cached answer for `key` in `dir`, or null (absent, unreadable, corrupt, stale). */
export function readGoEnvCache(dir: string, key: string): GoEnv | null {
  let stored: unknown;
  try {
    stored = JSON.parse(readRegularSync(join(dir, fileName(key)), { within: dir, maxBytes: MAX_BYTES }).toString('utf8'));
  } catch {
    return null;
  }
  if (!valid(stored, key)) return null;
  if (stamp(join(stored.answer.goroot, 'go.env')) !== stored.goroot) return null;
  return stored.answer;
}

/** Stores `answer` for `key` in `dir`; a cache that cannot be written is left alone. */
export async function writeGoEnvCache(dir: string, key: string, answer: GoEnv): Promise<void> {
  const stored: Stored = { key, goroot: stamp(join(answer.goroot, 'go.env')), answer };
  try {
    mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
    await ensureOwnDir(dir);
    await replaceFile(join(dir, fileName(key)), JSON.stringify(stored) + '\n');
  } catch {
    // read-only or foreign cache: the next run asks the go command again
  }
}

/** `go env` through the cache in `dir`: `ask` runs only when no valid answer is stored. */
export async function cachedGoEnv(dir: string, go: string, cwd: string, env: NodeJS.ProcessEnv, ask: () => Promise<GoEnv>): Promise<GoEnv> {
  const key = goEnvKey(go, cwd, env);
  const hit = readGoEnvCache(dir, key);
  if (hit) return hit;
  const answer = await ask();
  await writeGoEnvCache(dir, key, answer);
  return answer;
}
