/**
 * The resolved configuration of each traced go command: per variable it consulted, the
 * effective value and where it came from (environment, go env file, $GOROOT/go.env or the
 * default), who set it when the trace shows that, and the settings users trip on.
 * Sources come from the trace (what the process found in its environment, what it
 * os.Setenv'd as resolved) and from the files themselves (which one holds the key).
 */
import { type Dirent, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { readRegularSync } from '../files/readRegular';
import { splitGoFlags } from '../tracer/goflags';
import { isSecretKey, isSecretValue } from '../tracer/secrets';
import type { RunInfo } from './store';
import type { RunEvent } from './reader';
import { type GoCommandCollector, type GoCommandEvents } from './goCommand';

/** Where a go command's setting came from. */
export type GoConfigSource = 'environment' | 'go env file' | 'GOROOT/go.env' | 'default';

/** One configuration variable as a go command resolved it (docs/FORMATS.md section 3). */
export interface GoConfigEntry {
  key: string;
  /** The effective value; absent when redacted. */
  value?: string;
  redacted?: boolean;
  hash?: string;
  length?: number;
  source: GoConfigSource;
  /** The go env file or go.env that holds it (source "go env file" / "GOROOT/go.env"). */
  file?: string;
  /** Source "environment": who put it there, when the trace or envtrace knows. */
  setBy?: string;
  /** An os.Setenv site in a traced process that set it (source "environment"). */
  setAt?: { pid: number; file: string; line: number };
}

/** One go command process's configuration (the report's `processes[].goCommand`). */
export interface GoCommandConfig {
  subcommand: string;
  args: string[];
  config: GoConfigEntry[];
  /** Settings that change the go command's behaviour in ways users trip on, one sentence each. */
  warnings: string[];
  /** The Go version of the go command that ran (its process record), when known. */
  goVersion?: string;
  /** Go binaries it exec'd: a GOTOOLCHAIN switch to a toolchain envtrace did not trace. */
  switchedTo?: string[];
}

/** What envtrace itself put in the traced command's environment (run.json `goEnv`). */
export interface EnvtraceGoEnv {
  /** Configuration variables already set (non-empty) in envtrace's own environment. */
  inherited: string[];
  /** Variables envtrace set for the command (GOFLAGS; GOROOT and GOTOOLCHAIN for a mirrored toolchain). */
  set: string[];
  /** The GOFLAGS fields envtrace added (-overlay=…, -count=1, -race). */
  addedGoFlags: string[];
}

/** Reads a small text file, or null (never follows a FIFO or device; capped). */
export type ReadText = (file: string) => string | null;

const readText: ReadText = (file) => {
  try {
    return readRegularSync(file, { maxBytes: 1 << 20 }).toString('utf8');
  } catch {
    return null;
  }
};

/** The `KEY=VALUE` lines of a go env file or go.env (comments and blanks skipped). */
export function parseGoEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq > 0) out.set(t.slice(0, eq).trim(), t.slice(eq + 1).trim());
  }
  return out;
}

const valueOf = (e: RunEvent | undefined): string | undefined => (e && e.found && !e.redacted ? (e.value ?? '') : undefined);
const present = (e: RunEvent | undefined): boolean => !!e && e.found && (e.redacted || (e.value ?? '') !== '');

function subcommand(argv: string[]): { subcommand: string; args: string[] } {
  let i = 1;
  while (i < argv.length && argv[i].startsWith('-')) i += argv[i] === '-C' ? 2 : 1;
  return { subcommand: argv[i] ?? '', args: argv.slice(i + 1) };
}

/** The go command reports of a run, by pid. */
export function resolveGoCommands(go: GoCommandCollector, info: RunInfo, read: ReadText = readText): Map<number, GoCommandConfig> {
  const out = new Map<number, GoCommandConfig>();
  for (const [pid, cmd] of go.commands) out.set(pid, resolveOne(cmd, go, info, read));
  return out;
}

function resolveOne(cmd: GoCommandEvents, go: GoCommandCollector, info: RunInfo, read: ReadText): GoCommandConfig {
  const p = cmd.process;
  const resolved = (k: string): string | undefined => valueOf(cmd.keys.get(k)?.set) ?? valueOf(cmd.keys.get(k)?.read);
  const goenvPath = resolved('GOENV') || '';
  const goroot = resolved('GOROOT') || info.goroot || '';
  const files: { source: GoConfigSource; file: string; keys: Map<string, string> }[] = [];
  if (goenvPath && goenvPath !== 'off') files.push({ source: 'go env file', file: goenvPath, keys: parseGoEnvFile(read(goenvPath) ?? '') });
  if (goroot) files.push({ source: 'GOROOT/go.env', file: join(goroot, 'go.env'), keys: parseGoEnvFile(read(join(goroot, 'go.env')) ?? '') });
  const config: GoConfigEntry[] = [];
  for (const key of [...cmd.keys.keys()].sort()) {
    const ev = cmd.keys.get(key)!;
    const shown = ev.set ?? (ev.read?.found ? ev.read : undefined);
    const entry: GoConfigEntry = { key, source: 'default' };
    if (shown?.redacted) Object.assign(entry, { redacted: true, hash: shown.hash, length: shown.length });
    else entry.value = shown?.value ?? '';
    if (present(ev.read)) {
      entry.source = 'environment';
      Object.assign(entry, setter(key, cmd, go, info));
      if (key === 'GOFLAGS' && entry.value !== undefined && entry.setBy === 'envtrace') Object.assign(entry, userGoFlags(entry.value, info, files));
    } else {
      const f = files.find((x) => (x.keys.get(key) ?? '') !== '');
      if (f) Object.assign(entry, { source: f.source, file: f.file });
      // A key only in a file that cmd/go did not write back: its value from the file.
      const fileValue = f?.keys.get(key);
      if (fileValue !== undefined && !ev.set && !entry.redacted) {
        if (isSecretKey(key) || isSecretValue(fileValue)) Object.assign(entry, { value: undefined, redacted: true });
        else entry.value = fileValue;
      }
    }
    config.push(entry);
  }
  const { subcommand: sub, args } = subcommand(p.argv);
  const out: GoCommandConfig = { subcommand: sub, args, config, warnings: tripUps(cmd, config, info, files) };
  if (p.goVersion) out.goVersion = p.goVersion;
  const switched = cmd.execs.map((e) => e.path ?? '').filter((x) => /^go(\.exe)?$/i.test(base(x)));
  if (switched.length) out.switchedTo = switched;
  return out;
}

/** GOFLAGS that envtrace set: the user's part and where it came from (envtrace's own flags left out). */
function userGoFlags(value: string, info: RunInfo, files: { source: GoConfigSource; file: string; keys: Map<string, string> }[]): Partial<GoConfigEntry> {
  const added = new Set(info.goEnv?.addedGoFlags ?? []);
  let fields: string[];
  try {
    fields = splitGoFlags(value);
  } catch {
    return {};
  }
  const user = fields.filter((f) => !added.has(f) && !/^--?overlay=/.test(f)).join(' ');
  if (info.goEnv?.inherited.includes('GOFLAGS')) return { value: user, setBy: undefined };
  const f = files.find((x) => (x.keys.get('GOFLAGS') ?? '') !== '');
  return f ? { value: user, source: f.source, file: f.file, setBy: undefined } : { value: user, source: 'default', setBy: undefined };
}

/** Who put `key` in the go command's environment, as far as the trace and run.json tell. */
function setter(key: string, cmd: GoCommandEvents, go: GoCommandCollector, info: RunInfo): Partial<GoConfigEntry> {
  const p = cmd.process;
  // A traced ancestor that os.Setenv'd it before this process started.
  for (let pid = p.parent; pid; pid = go.processes.get(pid)?.parent ?? 0) {
    const w = go.writes.filter((x) => x.pid === pid && x.key === key).pop();
    const anc = go.processes.get(pid);
    if (w && anc) {
      const who = `${base(anc.argv[0])} (pid ${pid})`;
      const at = w.event.user;
      return at ? { setBy: `${who} at ${at.file}:${at.line}`, setAt: { pid, file: at.file, line: at.line } } : { setBy: who };
    }
  }
  const read = cmd.keys.get(key)?.read;
  // NOTE: a GOFLAGS without envtrace's -overlay was replaced on the way (a Makefile's export).
  const replaced = key === 'GOFLAGS' && !!read && !read.redacted && !/(^|\s)--?overlay=/.test(read.value ?? '');
  const envtraceSet = (info.goEnv?.set.includes(key) ?? false) && !replaced;
  const inherited = info.goEnv?.inherited.includes(key) ?? false;
  if (p.ppid === info.commandPid && p.pid !== info.commandPid && (replaced || (!inherited && !envtraceSet))) {
    return { setBy: `${base(info.command[0] ?? '')} (pid ${p.ppid})` };
  }
  if (envtraceSet) return { setBy: 'envtrace' };
  if (inherited && !replaced) return {};
  if (p.pid !== info.commandPid && !p.parent && info.goEnv) return { setBy: `parent process (pid ${p.ppid}, not traced)` };
  return {};
}

const base = (s: string): string => s.split(/[\\/]/).pop() ?? s;

/**
 * The go.mod files a go command run in `cwd` with `argv` works on: the nearest at or above its
 * directory (`-C dir` honoured), and, for a `./...`-style pattern, the modules just below.
 */
export function goModsOf(cwd: string, argv: readonly string[]): string[] {
  const c = argv.indexOf('-C');
  const dir = c > 0 && c + 1 < argv.length && argv.slice(1, c).every((a) => a.startsWith('-')) ? resolve(cwd, argv[c + 1]) : cwd;
  const near = nearestGoMod(dir);
  const below = argv.some((a) => a.endsWith('...')) ? goModsBelow(dir) : [];
  return [...(near ? [near] : []), ...below];
}

function nearestGoMod(dir: string, read: ReadText = readText): string | null {
  if (!isAbsolute(dir)) return null;
  for (let d = dir; ; d = dirname(d)) {
    if (read(join(d, 'go.mod')) !== null) return join(d, 'go.mod');
    if (dirname(d) === d) return null;
  }
}

/** go.mod files in the directories just below `dir` (two levels; links not followed; capped). */
function goModsBelow(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true }).slice(0, 200);
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'vendor' || e.name === 'testdata') continue;
      const sub = join(d, e.name);
      if (readText(join(sub, 'go.mod')) !== null) found.push(join(sub, 'go.mod'));
      else if (depth < 2) walk(sub, depth + 1);
    }
  };
  if (isAbsolute(dir)) walk(dir, 1);
  return found.sort();
}

const beneath = (p: string, dir: string): boolean => {
  const rel = relative(dir, p);
  return !rel.startsWith('..') && !isAbsolute(rel);
};

/** The settings users trip on, as sentences. */
function tripUps(cmd: GoCommandEvents, config: GoConfigEntry[], info: RunInfo, files: { source: GoConfigSource; file: string; keys: Map<string, string> }[]): string[] {
  const get = (k: string) => config.find((c) => c.key === k);
  const out: string[] = [];
  const from = (c: GoConfigEntry) => (c.file ? `${c.source} ${c.file}` : c.setBy ? `set by ${c.setBy}` : c.source);
  const mod = get('GO111MODULE');
  const gomod = nearestGoMod(cmd.process.cwd);
  if (mod?.value === 'off' && gomod) out.push(`GO111MODULE=off (${from(mod)}) inside the module ${gomod}: go.mod is ignored`);
  else if (mod?.value === 'off' && cmd.process.argv.some((a) => a.endsWith('...'))) {
    const below = goModsBelow(cmd.process.cwd);
    if (below.length) out.push(`GO111MODULE=off (${from(mod)}): the pattern reaches the module ${below[0]}${below.length > 1 ? ` (and ${below.length - 1} more)` : ''}, whose go.mod is ignored`);
  }
  const flags = get('GOFLAGS');
  if (flags?.source === 'environment' && flags.setBy && flags.setBy !== 'envtrace') {
    const lost = flags.value !== undefined && !/(^|\s)--?overlay=/.test(flags.value);
    out.push(`GOFLAGS injected by ${flags.setBy}${lost ? ": it replaces envtrace's -overlay, so programs this go command builds are not traced" : ''}`);
  }
  const fileFlags = files.find((f) => f.source === 'go env file' && (f.keys.get('GOFLAGS') ?? '') !== '');
  if (flags?.source === 'environment' && fileFlags) {
    const v = fileFlags.keys.get('GOFLAGS')!;
    out.push(`GOFLAGS from the environment hides ${isSecretValue(v) ? 'the GOFLAGS' : `GOFLAGS=${v}`} in the go env file ${fileFlags.file}`);
  }
  const goos = get('GOOS')?.value;
  const goarch = get('GOARCH')?.value;
  if ((goos && goos !== cmd.process.goos) || (goarch && goarch !== cmd.process.goarch)) {
    out.push(`cross build for ${goos ?? cmd.process.goos}/${goarch ?? cmd.process.goarch} (this machine is ${cmd.process.goos}/${cmd.process.goarch})`);
  }
  const tc = get('GOTOOLCHAIN');
  if (tc?.value && !/^(local|auto|path)$/.test(tc.value) && !tc.value.startsWith('local')) out.push(`GOTOOLCHAIN=${tc.value} (${from(tc)}) selects another toolchain`);
  for (const e of cmd.execs) {
    if (/^go(\.exe)?$/i.test(base(e.path ?? ''))) out.push(`switched toolchain: ran ${e.path} (${tc?.value ? `GOTOOLCHAIN=${tc.value}` : 'go.mod'}), which envtrace did not trace`);
  }
  const proxy = get('GOPROXY');
  if (proxy?.value === 'off') out.push(`GOPROXY=off (${from(proxy)}): modules missing from the module cache cannot be downloaded`);
  const work = get('GOWORK')?.value;
  if (work && work !== 'off' && isAbsolute(work)) {
    const root = gomod ? dirname(gomod) : info.cwd;
    if (!beneath(work, root) && !beneath(work, info.cwd)) out.push(`GOWORK=${work} is outside the repository (${root})`);
  }
  return out;
}
