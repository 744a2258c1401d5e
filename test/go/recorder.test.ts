// The recorder on the machine's Go: go run, go test, go build + binary, children, endings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { assertWellFormed, assertWellFormedUntilKill, buildTraced, fixture, newRunDir, readRun, traced, tracedKill, type Rec } from './recorderSupport';

const frames = (f: { stacks: Map<number, Rec> }, e: Rec): [string, string, number][] =>
  (f.stacks.get(e.s as number)?.f ?? []) as [string, string, number][];

test('go run: every op of hello is recorded with values, stacks and the api', async () => {
  const cwd = fixture('hello');
  const r = await traced('go', ['run', '.'], { cwd, env: { HELLO_PORT: '8080' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^8080 false 0 8080$/m, 'ENVTRACE_* hidden from os.Environ()');
  const files = readRun(r.runDir);
  assert.equal(files.length, 1, 'one traced process (the go command itself is not traced)');
  const f = files[0];
  assertWellFormed(f);
  assert.equal(f.proc.run, 'test');
  assert.equal(f.proc.parent, 0);
  assert.ok(!JSON.stringify(f.proc.env).includes('ENVTRACE_'), 'settings are not in the starting env');
  const ev = (op: string, k?: string): Rec[] => f.events.filter((e) => e.op === op && (k === undefined || e.k === k));
  const port = ev('getenv', 'HELLO_PORT');
  assert.equal(port.length, 2, 'Getenv and ExpandEnv');
  assert.deepEqual([port[0].ok, port[0].v], [true, '8080']);
  assert.equal(f.stacks.get(port[0].s)?.api, 'os.Getenv');
  assert.equal(f.stacks.get(port[1].s)?.api, 'os.ExpandEnv');
  const top = frames(f, port[0]);
  assert.equal(top[0][0], 'os.Getenv');
  assert.deepEqual([top[1][0], top[1][1], top[1][2]], ['main.main', join(cwd, 'main.go'), 11]);
  const unset = ev('getenv', 'HELLO_UNSET')[0];
  assert.equal(unset.ok, false);
  assert.equal(unset.v, undefined);
  assert.equal(f.stacks.get(unset.s)?.api, 'os.LookupEnv');
  assert.deepEqual(ev('setenv', 'HELLO_MODE').map((e) => [e.v, e.wg]), [['traced', 0]]);
  assert.deepEqual(ev('unsetenv', 'HELLO_MODE').map((e) => e.wg), [1]);
  assert.equal(ev('environ').length, 1);
  const rt = f.events.filter((e) => e.api === 'runtime').map((e) => e.k);
  for (const k of ['GODEBUG', 'GOGC', 'GOMAXPROCS', 'GOTRACEBACK', 'GOMEMLIMIT']) assert.ok(rt.includes(k), `runtime read ${k}`);
  for (const e of f.events) assert.ok(e.t0 <= e.t1 && e.t0 >= f.proc.mono - 1e9, 'monotonic times');
});

test('go test ./... across packages: t.Setenv, t.Parallel and a test record per test', async () => {
  const cwd = fixture('multi');
  const r = await traced('go', ['test', './...'], { cwd });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const files = readRun(r.runDir);
  assert.equal(files.length, 2, 'one test binary per package');
  const all: Rec[] = files.flatMap((f) => (assertWellFormed(f), f.recs.map((x): Rec => ({ ...x, file: f }))));
  const tests = all.filter((x) => x.t === 'T').map((x) => x.name as string).sort();
  assert.deepEqual(tests, [
    'TestRegionParallel', 'TestRegionParallel/one', 'TestRegionParallel/two', 'TestRegionSet',
    'TestVerboseParallel', 'TestVerboseSet',
  ]);
  const setenv = all.filter((x) => x.t === 'E' && x.op === 'setenv' && x.k === 'MULTI_REGION');
  assert.ok(setenv.some((e) => e.v === 'us-east-2' && e.file.stacks.get(e.s)?.api === 'testing.T.Setenv'));
  // Each read is made by the goroutine of the test that made it.
  const a = files.find((f) => f.recs.some((x) => x.name === 'TestRegionSet'))!;
  const g = a.recs.find((x) => x.name === 'TestRegionSet')!.g;
  const read = a.events.find((e) => e.op === 'getenv' && e.k === 'MULTI_REGION' && e.v === 'us-east-2')!;
  assert.equal(read.g, g);
  const sub = a.recs.filter((x) => x.t === 'T' && String(x.name).startsWith('TestRegionParallel/'));
  const parent = a.recs.find((x) => x.name === 'TestRegionParallel')!;
  for (const s of sub) assert.equal(s.pg, parent.g, 'a subtest is started by its parent test goroutine');
});

test('go build, then the binary: a child with a filtered cmd.Env and a grandchild stay traced', async () => {
  const cwd = fixture('procs');
  const bin = join(mkdtempSync(join(tmpdir(), 'envtrace-bin-')), 'procs');
  await buildTraced(cwd, bin);
  const r = await traced(bin, [], { cwd, fullEnv: true });
  assert.equal(r.status, 0, r.stderr);
  const files = readRun(r.runDir);
  assert.equal(files.length, 3);
  files.forEach(assertWellFormed);
  const byLevel = (lvl: string): Rec =>
    files.find((f) => f.events.some((e) => e.k === 'PROCS_LEVEL' && e.op === 'getenv' && (e.v ?? '') === lvl && e.seq))!.proc;
  const [p, c, gc] = [byLevel(''), byLevel('child'), byLevel('grandchild')];
  assert.equal(p.parent, 0);
  assert.equal(c.parent, p.pid);
  assert.equal(c.ppid, p.pid);
  assert.equal(gc.parent, c.pid);
  assert.deepEqual(c.env, [{ k: 'PROCS_LEVEL', v: 'child' }], 'the filtered env is what the child sees, without settings');
  const spawns = files.flatMap((f) => f.events.filter((e) => e.op === 'spawn').map((e) => ({ e, f })));
  assert.equal(spawns.length, 2);
  const fromParent = spawns.find((s) => s.f.proc.pid === p.pid)!;
  assert.equal(fromParent.e.cpid, c.pid);
  assert.equal(fromParent.e.path, bin);
  assert.equal(fromParent.f.stacks.get(fromParent.e.s)?.api, 'os/exec.Cmd.Run');
});

for (const mode of ['return', 'exit', 'panic', 'fatal']) {
  test(`ending by ${mode}: the last event is on disk and seq has no gaps`, async () => {
    const cwd = fixture('endings');
    const r = await traced('go', ['run', '.', mode === 'return' ? 'x' : mode], { cwd });
    assert.equal(r.status === 0, mode === 'return', r.stderr);
    const [f] = readRun(r.runDir);
    assertWellFormed(f);
    const last = f.events.reduce((a, b) => (a.seq > b.seq ? a : b));
    // log.Fatal formats a time stamp, so the time package's read of TZ comes last there.
    assert.equal(last.k, mode === 'fatal' ? 'TZ' : 'ENDINGS_LAST');
    if (mode === 'fatal') assert.equal(f.stacks.get(last.s)?.api, 'syscall.Getenv');
    assert.equal(f.events.filter((e) => e.k === 'ENDINGS_LAST').length, 1);
    assert.equal(f.events.filter((e) => e.k === 'ENDINGS_LOOP').length, 50);
  });
}

test('ending by SIGKILL: every line whole, seq without gaps up to the kill', async () => {
  const cwd = fixture('endings');
  const bin = join(mkdtempSync(join(tmpdir(), 'envtrace-bin-')), 'endings');
  await buildTraced(cwd, bin);
  const r = await tracedKill(bin, ['kill'], 'ready', { cwd });
  assert.equal(r.signal, 'SIGKILL');
  const [f] = readRun(r.runDir);
  assertWellFormedUntilKill(f);
  assert.ok(f.events.filter((e) => e.k === 'ENDINGS_LOOP').length > 1050);
});

test('stress: 200 goroutines × 5,000 reads give exactly 1,000,000 read events, every line parses', async () => {
  const cwd = fixture('stress');
  const r = await traced('go', ['run', '.'], { cwd, env: { STRESS_VAR: 'v' } });
  assert.equal(r.status, 0, r.stderr);
  const [f] = readRun(r.runDir);
  assertWellFormed(f);
  assert.equal(f.events.filter((e) => e.k === 'STRESS_VAR' && e.v === 'v').length, 1_000_000);
  assert.equal(new Set(f.events.filter((e) => e.k === 'STRESS_VAR').map((e) => e.g)).size, 200);
});

test('tracing off (no ENVTRACE_DIR): a binary built with the overlay writes nothing and hides nothing', async () => {
  const cwd = fixture('hello');
  const bin = join(mkdtempSync(join(tmpdir(), 'envtrace-bin-')), 'hello');
  await buildTraced(cwd, bin);
  const dir = newRunDir();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ENVTRACE_')));
  const r = spawnSync(bin, [], { cwd: dir, env: { ...env, HELLO_PORT: '1', ENVTRACE_RUN: 'x' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^1 false 1 1$/m, 'with tracing off, even ENVTRACE_RUN is an ordinary variable');
  assert.deepEqual(readdirSync(dir), []);
});

test('-trimpath: stacks carry module paths (mapped back to files through go.mod by the reader)', async () => {
  const cwd = fixture('hello');
  const r = await traced('go', ['run', '-trimpath', '.'], { cwd });
  assert.equal(r.status, 0, r.stderr);
  const [f] = readRun(r.runDir);
  const e = f.events.find((x) => x.k === 'HELLO_PORT')!;
  const main = frames(f, e).find((fr) => fr[0] === 'main.main')!;
  assert.equal(main[1], 'example.com/hello/main.go');
});

test('hot path: a traced os.Getenv of a known stack allocates nothing (testing.AllocsPerRun)', async () => {
  const r = await traced('go', ['test', '.'], { cwd: fixture('allocs') });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const [f] = readRun(r.runDir);
  assertWellFormed(f);
  assert.ok(f.events.filter((e) => e.k === 'ALLOCS_KEY' && e.op === 'getenv').length >= 1000, 'the reads were traced');
});
