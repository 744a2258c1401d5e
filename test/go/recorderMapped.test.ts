// The recorder's mapped process file (Linux, server/go/syscall/exec_linux/envtrace_mmap_linux.go):
// records cross 1 MB chunks, stacks are interned across goroutines, an exec'd image writes its
// own file, a SIGKILL loses no completed read, and the run reader reads the zero tail cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRun as readRunFiles, type RunEvent } from '../../server/src/runs/reader';
import { assertWellFormed, assertWellFormedUntilKill, buildTraced, fixture, readRun, traced, tracedKill, type Rec } from './recorderSupport';

const CHUNK = 1 << 20;

async function build(): Promise<{ cwd: string; bin: string }> {
  const cwd = fixture('mapped');
  const bin = join(mkdtempSync(join(tmpdir(), 'envtrace-bin-')), 'mapped');
  await buildTraced(cwd, bin);
  return { cwd, bin };
}

test('mapped file: 36,000 reads across chunks, three interned stacks, an exec writes its own file', async () => {
  const { cwd, bin } = await build();
  const r = await traced(bin, ['exec'], { cwd, env: { MAPPED_VAR: 'v', MAPPED_AFTER: 'a' } });
  assert.equal(r.status, 0, r.stderr);
  const files = readRun(r.runDir);
  assert.equal(files.length, 2, 'the exec’d image opens a file of its own');
  files.forEach(assertWellFormed);
  const [before, after] = [...files].sort((a, b) => a.proc.wall - b.proc.wall);
  assert.equal(after.proc.pid, before.proc.pid, 'exec keeps the pid');
  assert.deepEqual(after.events.filter((e) => e.op === 'getenv' && e.k === 'MAPPED_AFTER').map((e) => e.v), ['a']);
  const size = statSync(join(r.runDir, before.name)).size;
  assert.ok(size > CHUNK && size % CHUNK === 0, `written through the mapping in whole chunks (${size} bytes)`);
  assert.equal(before.events.filter((e) => e.op === 'exec').length, 1);

  const reads = before.events.filter((e) => e.op === 'getenv' && e.k === 'MAPPED_VAR');
  assert.equal(reads.length, 36_000);
  assert.ok(reads.every((e) => e.v === 'v'));
  const lines = new Map<number, Set<string>>();
  for (const e of reads) {
    const f = before.stacks.get(e.s as number)!.f as [string, string, number][];
    const at = f.find((x) => /^main\.read[ABC]$/.test(x[0]))!;
    assert.equal(at[1], join(cwd, 'main.go'));
    (lines.get(at[2]) ?? lines.set(at[2], new Set()).get(at[2])!).add(String(e.s));
  }
  assert.deepEqual([...lines.keys()].sort(), [13, 14, 15], 'one call site per line');
  for (const ids of lines.values()) assert.equal(ids.size, 1, 'a call site has one stack id, whatever goroutine calls it');
  const used = new Set(before.events.filter((e) => e.s !== undefined).map((e) => e.s));
  assert.equal(before.recs.filter((x: Rec) => x.t === 'S').length, used.size, 'each stack written once');

  // The run reader: zero tails are no lines, nothing is lost.
  const events: RunEvent[] = [];
  const stats = await readRunFiles(r.runDir, { event: (e) => void events.push(e) }, { cwds: [cwd] });
  assert.deepEqual([stats.badLines, stats.lostEvents, stats.unreadableFiles], [0, 0, 0]);
  assert.equal(events.filter((e) => e.key === 'MAPPED_VAR').length, 36_000);
  assert.deepEqual(new Set(events.filter((e) => e.key === 'MAPPED_VAR').map((e) => e.user?.line)), new Set([13, 14, 15]));
});

test('mapped file, SIGKILL: every read that returned before the kill is in the file', async () => {
  const { cwd, bin } = await build();
  const r = await tracedKill(bin, ['kill'], 'ready', { cwd, env: { MAPPED_VAR: 'v' } });
  assert.equal(r.signal, 'SIGKILL');
  const done = Math.max(...[...r.stdout.matchAll(/^done (\d+)$/gm)].map((m) => Number(m[1])));
  assert.ok(done >= 20_000, r.stdout);
  const [f] = readRun(r.runDir);
  assertWellFormedUntilKill(f);
  assert.ok(f.events.filter((e) => e.k === 'MAPPED_LOOP').length >= done, `at least the ${done} reads printed as done`);
  assert.equal(f.events.filter((e) => e.k === 'MAPPED_VAR').length, 36_000);
  const stats = await readRunFiles(r.runDir, {}, { cwds: [cwd] });
  assert.ok(stats.badLines <= 1, 'at most the record being copied when the kill came');
  assert.equal(stats.lostEvents, 0);
});
