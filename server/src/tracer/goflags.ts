import { readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { SETTINGS } from './settings';

/** Splits GOFLAGS as the go command does: whitespace-separated, a field may be wrapped in ' or ". */
export function splitGoFlags(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    const q = s[i];
    if (q === '"' || q === "'") {
      const end = s.indexOf(q, i + 1);
      if (end < 0) throw new Error(`GOFLAGS has an unterminated quote: ${s}`);
      out.push(s.slice(i + 1, end));
      i = end + 1;
    } else {
      let j = i;
      while (j < s.length && !/\s/.test(s[j])) j++;
      out.push(s.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** Quotes one GOFLAGS field when it holds whitespace (the go command's quoting rules). */
export function quoteGoFlag(f: string): string {
  if (!/\s/.test(f) && !/^['"]/.test(f)) return f;
  if (!f.includes("'")) return `'${f}'`;
  if (!f.includes('"')) return `"${f}"`;
  throw new Error(`cannot quote ${f} for GOFLAGS: it holds both kinds of quote`);
}

const flagName = (f: string): string => f.replace(/^--?/, '').split('=')[0];

/** The value of a user's `-overlay=FILE` in GOFLAGS, or undefined. */
export function userOverlay(goflags: string | undefined): string | undefined {
  const f = splitGoFlags(goflags ?? '').find((x) => /^--?overlay=/.test(x));
  return f ? f.slice(f.indexOf('=') + 1) : undefined;
}

/** True when `flags` set a test count (`-count=N`, `-count N`, `-test.count=N`). */
function setsCount(flags: string[]): boolean {
  return flags.some((f) => ['count', 'test.count'].includes(flagName(f)));
}

/**
 * True when a `go test` command line sets -count itself. Only `go test`: after `go run`'s
 * package, flags belong to the program; after `-args`, to the test binary.
 */
export function commandSetsCount(command: readonly string[]): boolean {
  const [bin, verb, ...rest] = command;
  if (!bin || !/^go(\.exe)?$/i.test(bin.split(/[\\/]/).pop() ?? '') || verb !== 'test') return false;
  const end = rest.indexOf('-args');
  return setsCount(rest.slice(0, end < 0 ? rest.length : end).filter((f) => f.startsWith('-')));
}

/**
 * GOFLAGS for a traced command: the user's effective flags without their -overlay (merged
 * into ours by prepareOverlay), plus `-overlay=<ours>`; `-count=1` only when neither GOFLAGS
 * nor the command sets a count (a cached test runs no binary and records nothing); and, for
 * the precise race mode, `-race`.
 */
export function traceGoFlags(userGoFlags: string | undefined, overlayPath: string, race = false, countOnCommand = false): string {
  const kept = splitGoFlags(userGoFlags ?? '').filter((f) => flagName(f) !== 'overlay');
  const flags = [...kept, `-overlay=${overlayPath}`];
  if (!countOnCommand && !setsCount(kept)) flags.push('-count=1');
  if (race && !kept.some((f) => flagName(f) === 'race')) flags.push('-race');
  return flags.map(quoteGoFlag).join(' ');
}

/** How a traced command is set up (see docs/FORMATS.md and server/go for the recorder's side). */
export interface TraceEnvOptions {
  /** From prepareOverlay(). */
  overlayPath: string;
  /**
   * The user's effective GOFLAGS (PreparedOverlay.goflags, from `go env GOFLAGS`); when absent,
   * the GOFLAGS of the environment, which misses flags saved with `go env -w`.
   */
  goflags?: string;
  /** The traced command: a `go test -count=N` there keeps envtrace from adding -count=1. */
  command?: readonly string[];
  /** Absolute run directory; the recorder writes one `<pid>-<start>.jsonl` per process there. */
  runDir: string;
  runId: string;
  /** Frames per stack (default 16). */
  stack?: number;
  /** Extra key patterns to redact (the regex subset of checkRedactPattern). */
  redact?: string[];
  /** Store values in clear. */
  noRedact?: boolean;
  /** Hex key (32 hex digits) of the keyed hash of redacted values, from the workspace. */
  hashKey?: string;
  /** Record each process's whole starting environment, not only what the program reads. */
  fullEnv?: boolean;
  /** Precise race mode: adds -race to GOFLAGS and ENVTRACE_RACE=1. */
  race?: boolean;
  /**
   * PreparedOverlay.toolchain: GOROOT, GOTOOLCHAIN=local and PATH for a mirrored toolchain.
   * Optional: when absent it is read from toolchain.json beside the overlay.
   */
  toolchain?: { goroot: string; bin: string };
}

/** Just the variables a traced command needs (GOFLAGS + ENVTRACE_*), e.g. for `envtrace env`. */
export function traceSettings(o: TraceEnvOptions, envGoFlags: string | undefined): Record<string, string> {
  const s: Record<string, string> = {
    GOFLAGS: traceGoFlags(o.goflags ?? envGoFlags, o.overlayPath, o.race, commandSetsCount(o.command ?? [])),
    [SETTINGS.dir]: o.runDir,
    [SETTINGS.run]: o.runId,
    [SETTINGS.stack]: String(o.stack ?? 16),
  };
  if (o.redact?.length) s[SETTINGS.redact] = o.redact.join('\n');
  if (o.noRedact) s[SETTINGS.noRedact] = '1';
  if (o.hashKey) s[SETTINGS.hashKey] = o.hashKey;
  if (o.race) s[SETTINGS.race] = '1';
  if (o.fullEnv) s[SETTINGS.fullEnv] = '1';
  const tc = toolchainOf(o);
  if (tc) {
    s.GOROOT = tc.goroot;
    s.GOTOOLCHAIN = 'local';
  }
  return s;
}

/** The full environment of a traced command: `base` minus stale ENVTRACE_* plus traceSettings. */
export function traceEnv(o: TraceEnvOptions, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!k.toUpperCase().startsWith('ENVTRACE_')) env[k] = v;
  const out: NodeJS.ProcessEnv = { ...env, ...traceSettings(o, base.GOFLAGS) };
  const tc = toolchainOf(o);
  if (tc) {
    const pathKey = Object.keys(out).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
    out[pathKey] = tc.bin + delimiter + (out[pathKey] ?? '');
  }
  return out;
}

/** The file beside an overlay that names its mirrored toolchain (written by prepareOverlay). */
export const TOOLCHAIN_FILE = 'toolchain.json';

/** o.toolchain, or the one recorded beside the overlay, so callers need not pass it. */
function toolchainOf(o: TraceEnvOptions): { goroot: string; bin: string } | undefined {
  if (o.toolchain) return o.toolchain;
  try {
    return JSON.parse(readFileSync(join(dirname(o.overlayPath), TOOLCHAIN_FILE), 'utf8')) as { goroot: string; bin: string };
  } catch {
    return undefined;
  }
}
