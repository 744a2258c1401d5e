// Shared helpers of the Go recorder tests: prepare the overlay with the real toolchain,
// run a command under trace, read the recorder's files back.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { prepareOverlay, traceEnv, type PreparedOverlay, type TraceEnvOptions } from '../../server/src/tracer/overlay';

/** Absolute path of a fixture program under test/fixtures/go. */
export function fixture(name: string): string {
  return resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'go', name);
}

/** One overlay cache for all tests (and runs of the suite), so std is compiled once. */
export const CACHE = join(tmpdir(), 'envtrace-test-overlay');

export const HASH_KEY = '00112233445566778899aabbccddeeff';

/** A fresh run directory. */
export function newRunDir(): string {
  return mkdtempSync(join(tmpdir(), 'envtrace-run-'));
}

/** prepareOverlay for a fixture (optionally with another toolchain through GOTOOLCHAIN). */
export function prepare(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<PreparedOverlay> {
  return prepareOverlay({ cwd, cacheDir: CACHE, env });
}

export interface Traced {
  runDir: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

type TraceOpts = Partial<TraceEnvOptions> & { cwd: string; env?: NodeJS.ProcessEnv; prepared?: PreparedOverlay };

async function setup(o: TraceOpts): Promise<{ env: NodeJS.ProcessEnv; runDir: string }> {
  const base = { ...process.env, ...o.env };
  const p = o.prepared ?? (await prepare(o.cwd, base));
  const runDir = o.runDir ?? newRunDir();
  const env = traceEnv(
    { runId: 'test', hashKey: HASH_KEY, ...o, overlayPath: p.overlayPath, runDir }, // toolchain: found beside the overlay
    base,
  );
  return { env, runDir };
}

/** Runs cmd under trace and waits for it. */
export async function traced(cmd: string, args: string[], o: TraceOpts): Promise<Traced> {
  const { env, runDir } = await setup(o);
  const r = spawnSync(cmd, args, { cwd: o.cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { runDir, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Starts cmd under trace, waits for `ready` on stdout, SIGKILLs it and waits for the end. */
export async function tracedKill(cmd: string, args: string[], ready: string, o: TraceOpts): Promise<Traced> {
  const { env, runDir } = await setup(o);
  const child = spawn(cmd, args, { cwd: o.cwd, env });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res, rej) => {
    child.on('error', rej);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes(ready)) child.kill('SIGKILL');
    });
    child.on('close', (status, signal) => res({ runDir, status, signal, stdout, stderr }));
  });
}

/** Builds a fixture with the overlay (GOFLAGS from traceEnv) and returns the binary's path. */
export async function buildTraced(cwd: string, out: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<void> {
  const r = await traced('go', ['build', ...extra, '-o', out, '.'], { cwd, env });
  assert.equal(r.status, 0, r.stderr);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Rec = Record<string, any>;

/** One process file of a run, parsed. */
export interface ProcFile {
  name: string;
  recs: Rec[];
  bad: number;
  /** 1 when the file ends in a record cut short (its writer was killed while copying it). */
  cut: number;
  proc: Rec;
  events: Rec[];
  stacks: Map<number, Rec>;
}

/** Reads every process file of a run directory; each line must parse. */
export function readRun(runDir: string): ProcFile[] {
  return readdirSync(runDir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((name) => {
      // On Linux the file is written through a mapping: its last chunk ends in zero bytes.
      const lines = readFileSync(join(runDir, name), 'utf8').replace(/\0+$/, '').split('\n');
      // A record cut short (a SIGKILL during its copy into the mapping) may end the file.
      const cut = lines.pop() === '' ? 0 : 1;
      let bad = 0;
      const recs: Rec[] = [];
      for (const l of lines) {
        try {
          recs.push(withDefaults(JSON.parse(l) as Rec));
        } catch {
          bad++;
        }
      }
      const stacks = new Map<number, Rec>();
      for (const r of recs) if (r.t === 'S') stacks.set(r.id as number, r);
      // Without fullEnv the environment is in the record os.Environ wrote (t:"V"), if any.
      const proc = recs[0] && recs[0].env === undefined ? { ...recs[0], env: recs.find((r) => r.t === 'V')?.env } : recs[0];
      return { name, recs, bad, cut, proc, events: recs.filter((r) => r.t === 'E'), stacks };
    });
}

/** An event record with the fields the recorder leaves out at their default filled in (docs/FORMATS.md section 2). */
function withDefaults(r: Rec): Rec {
  if (r.t !== 'E') return r;
  const t0 = r.t0 as number;
  const found = r.ok ?? (r.v !== undefined || r.h !== undefined);
  return { pg: 0, wf: false, ...(r.k !== undefined ? { wg: 0 } : {}), ...r, ok: found, t1: (r.t1 as number | undefined) ?? t0 + ((r.d as number | undefined) ?? 0) };
}

/** Asserts the file is whole: a process record first, seq 1..n without gaps, stacks before use. */
export function assertWellFormed(f: ProcFile): void {
  assert.equal(f.cut, 0, `${f.name} ends with a newline (and zero bytes)`);
  assertWellFormedUntilKill(f);
}

/** assertWellFormed of a killed process: its last record may be cut short (its call never returned). */
export function assertWellFormedUntilKill(f: ProcFile): void {
  assert.equal(f.bad, 0, `${f.name}: unparsable lines`);
  assert.equal(f.proc.t, 'P', `${f.name}: process record first`);
  const seqs = f.events.map((e) => e.seq as number).sort((a, b) => a - b);
  seqs.forEach((s, i) => assert.equal(s, i + 1, `${f.name}: seq gap at ${i + 1}`));
  const seen = new Set<number>();
  for (const r of f.recs) {
    if (r.t === 'S') seen.add(r.id as number);
    if (r.t === 'E' && r.s !== undefined) assert.ok(seen.has(r.s as number), `${f.name}: stack ${r.s} used before written`);
  }
}

/** The go binary's version line (for messages). */
export function goVersion(env: NodeJS.ProcessEnv = process.env): string {
  return spawnSync('go', ['version'], { env, encoding: 'utf8' }).stdout.trim();
}
