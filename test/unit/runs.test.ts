import assert from 'node:assert/strict';
import { cpSync, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { aggregateRun, reportHead, writeJsonReport } from '../../server/src/runs/load';
import { readRun } from '../../server/src/runs/reader';
import { goroutineOf, RunAggregate } from '../../server/src/runs/aggregate';
import { replayReport } from '../../server/src/analysis/reportReplay';
import { readRunInfo, type StoredRun } from '../../server/src/runs/store';
import { renderText, traceLineText } from '../../server/src/runs/text';
import type { Report } from '../../server/src/runs/report';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'runs');

async function stored(name: string): Promise<StoredRun> {
  const dir = join(fixtures, name);
  return { dir, info: await readRunInfo(dir) };
}

async function jsonReport(run: StoredRun): Promise<Report> {
  let text = '';
  await writeJsonReport(run, { write: (t) => void (text += t) });
  return JSON.parse(text) as Report;
}

test('writes: setenv + unsetenv in the text summary and in JSON vars[].writes alike; Clearenv is counted apart', async () => {
  const dir = join(fixtures, '..', 'merge', 'runs', 'ops');
  const run = { dir, info: await readRunInfo(dir) };
  const { agg, stats } = await aggregateRun(run);
  const summary = renderText(agg, stats, { id: run.info.id, dir, cwd: run.info.cwd }, true).split('\n')[0];
  assert.match(summary, /; 2 writes, 1 clear; 1 process\)/);
  const report = await jsonReport(run);
  assert.equal(report.vars.reduce((n, v) => n + v.writes, 0), 2);
  assert.equal(report.events.filter((e) => e.op === 'clearenv').length, 1);
  assert.doesNotMatch(renderText((await aggregateRun(await stored('basic'))).agg, stats, { id: 'x', dir, cwd: '/' }, true), /clear/);
});

test('reader skips corrupt lines and counts them and the gaps in seq', async () => {
  const run = await stored('basic');
  const { agg, stats } = await aggregateRun(run);
  assert.equal(stats.files, 2);
  assert.equal(stats.badLines, 2);
  assert.equal(stats.lostEvents, 3); // child: seq 3, 4, 5 missing
  assert.equal(stats.events, 15);
  assert.equal(agg.processes.length, 2);
  // The events after the corrupt lines are kept.
  const region = agg.reportVars().find((v) => v.key === 'REGION')!;
  assert.deepEqual(region.values, [{ value: 'eu-west-1', length: 9, count: 2 }]);
  assert.equal(region.unsetReads, 1);
});

test('JSON report has the documented shape, absolute files and run-wide stack ids', async () => {
  const run = await stored('basic');
  const r = await jsonReport(run);
  assert.deepEqual(Object.keys(r), ['version', 'id', 'label', 'command', 'cwd', 'exitCode', 'runDir', 'goVersion', 'processes', 'stacks', 'events', 'vars', 'counts', 'problems']);
  assert.equal(r.version, 1);
  // GODEBUG, read only by the Go runtime, is not one of the program's keys.
  assert.deepEqual(r.counts, { keys: 4, unset: 1, races: 0, processes: 2 });
  assert.equal(r.id, '20261126-120000-abcdef');
  assert.equal(r.label, 'demo');
  assert.deepEqual(r.command, ['go', 'run', '.']);
  assert.equal(r.exitCode, 0);
  assert.equal(r.goVersion, 'go1.26.8');
  assert.deepEqual(r.processes[1], { pid: 101, ppid: 100, parent: 100, argv: ['/work/app/child', '-v'], cwd: '/work/app', start: 1764158400500, end: r.processes[1].end });
  assert.equal(r.processes[0].parent, null);
  assert.equal(r.events.length, 15);

  const first = r.events.find((e) => e.key === 'DATABASE_URL')!;
  assert.deepEqual(Object.keys(first), ['seq', 'pid', 'goroutine', 'parentGoroutine', 'time', 'op', 'api', 'key', 'found', 'value', 'redacted', 'file', 'line', 'function', 'stack']);
  assert.equal(first.api, 'os.Getenv');
  assert.equal(first.file, '/work/app/main.go');
  assert.equal(first.line, 12);
  assert.equal(first.function, 'main.main');
  assert.equal(first.time, 1764158400001);

  // The child's stack 1 has the same frames as the parent's stack 1: one id; its stack 2 differs from the parent's 2.
  const child = r.events.filter((e) => e.pid === 101);
  assert.equal(child[0].stack, first.stack);
  const parentLookup = r.events.find((e) => e.pid === 100 && e.key === 'REGION')!;
  assert.notEqual(child[1].stack, parentLookup.stack);
  assert.equal(new Set(Object.keys(r.stacks)).size, Object.keys(r.stacks).length);
  for (const e of r.events) if (e.stack !== null) assert.ok(r.stacks[e.stack], `stack ${e.stack} is listed`);

  const apis = Object.fromEntries(r.events.filter((e) => e.pid === 100).map((e) => [e.seq, e.api]));
  assert.deepEqual(apis, {
    1: 'runtime', 2: 'os.Getenv', 3: 'os.Getenv', 4: 'os.Getenv', 5: 'os.LookupEnv', 6: 'os.Getenv', 7: 'os.Setenv',
    8: 'os.Unsetenv', 9: 'os.ExpandEnv', 10: 'os.Environ', 11: 'os/exec.Cmd.Run',
  });
  const spawn = r.events.find((e) => e.op === 'spawn')!;
  assert.equal(spawn.childPid, 101);
  assert.equal(spawn.path, '/work/app/child');
  const runtime = r.events.find((e) => e.api === 'runtime')!;
  assert.equal(runtime.stack, null);
  assert.equal(runtime.file, null);
  assert.deepEqual(r.problems, { badLines: 2, lostEvents: 3, unreadableFiles: 0, notes: [] });
});

test('redacted values carry hash and length, never a value', async () => {
  const r = await jsonReport(await stored('basic'));
  const secret = r.events.find((e) => e.key === 'DB_PASSWORD')!;
  assert.equal(secret.redacted, true);
  assert.equal('value' in secret, false);
  assert.equal(secret.hash, '3f9a0c1d2e4b5a69');
  assert.equal(secret.length, 24);
  const v = r.vars.find((x) => x.key === 'DB_PASSWORD')!;
  assert.deepEqual(v.values, [{ hash: '3f9a0c1d2e4b5a69', length: 24, count: 1 }]);
});

test('vars count reads, writes, unset reads, values and sites', async () => {
  const run = await stored('basic');
  const { agg, stats } = await aggregateRun(run);
  const head = reportHead(run, agg, stats);
  const db = head.vars.find((v) => v.key === 'DATABASE_URL')!;
  assert.equal(db.reads, 5);
  assert.equal(db.writes, 0);
  assert.deepEqual(db.values, [
    { value: 'postgres://db:5432/app', length: 22, count: 4 },
    { value: 'postgres://other', length: 16, count: 1 },
  ]);
  assert.deepEqual(db.sites, [
    { file: '/work/app/main.go', line: 12, count: 4 },
    { file: '/work/app/child.go', line: 7, count: 1 },
  ]);
  assert.equal(db.race, null);
  const mode = head.vars.find((v) => v.key === 'MODE')!;
  assert.equal(mode.writes, 2);
  assert.deepEqual(head.vars.map((v) => v.key), ['DATABASE_URL', 'DB_PASSWORD', 'GODEBUG', 'HOME', 'MODE', 'REGION']);
});

test('text trace: one line per distinct site, op, key and value, then the summary', async () => {
  const run = await stored('basic');
  const { agg, stats } = await aggregateRun(run);
  const text = renderText(agg, stats, { id: run.info.id, dir: run.dir, cwd: '/work/app' });
  const lines = text.trimEnd().split('\n');
  assert.ok(lines.includes('[GETENV] main.go:12 → os.Getenv("DATABASE_URL") → value="postgres://db:5432/app" (×4)'), text);
  assert.ok(lines.includes('[LOOKUP] cfg.go:40 → os.LookupEnv("REGION") → unset (×1)'), text);
  assert.ok(lines.includes('[GETENV] main.go:14 → os.Getenv("DB_PASSWORD") → redacted (24 bytes, hash 3f9a0c1d2e4b5a69) (×1)'), text);
  assert.ok(lines.includes('[SETENV] main.go:20 → os.Setenv("MODE", …) → value="prod" (×1)'), text);
  assert.ok(lines.includes('[UNSETENV] main.go:21 → os.Unsetenv("MODE") → ok (×1)'), text);
  assert.ok(lines.includes('[ENVIRON] main.go:23 → os.Environ() → ok (×1)'), text);
  assert.ok(lines.includes('[GETENV] main.go:22 → os.ExpandEnv("HOME") → value="/root" (×1)'), text);
  assert.ok(lines.includes('[SPAWN] main.go:25 → os/exec.Cmd.Run → program="/work/app/child" (×1)'), text);
  assert.ok(lines.includes('[GETENV] (runtime) → runtime("GODEBUG") → unset (×1)'), text);
  assert.ok(lines.includes('envtrace: 4 keys read · 1 unset · 0 races (11 reads, 2 unset; 2 writes; 2 processes)'), text);
  assert.ok(lines.includes('envtrace: warning: 2 unreadable lines skipped, 3 events lost (gaps in seq)'), text);
  assert.equal(lines.at(-1), `envtrace: run 20261126-120000-abcdef stored in ${run.dir}`);
  assert.doesNotMatch(text, /\[GETENV\].*DB_PASSWORD.*value=/);

  const quiet = renderText(agg, stats, { id: run.info.id, dir: run.dir, cwd: '/work/app' }, true);
  assert.doesNotMatch(quiet, /\[GETENV\]/);
  assert.match(quiet, /4 keys read · 1 unset/);
});

test('long values are truncated in the text trace', async () => {
  const line = traceLineText({ op: 'getenv', api: 'os.Getenv', key: 'K', file: '/a/b.go', line: 3, found: true, value: 'x'.repeat(100), count: 2, first: 0 }, '/a');
  assert.equal(line, `[GETENV] b.go:3 → os.Getenv("K") → value="${'x'.repeat(60)}…" (×2)`);
});

test('trimpath files map back through go.mod, go.work, GOROOT and the module cache', async () => {
  const dir = join(fixtures, 'trimpath');
  const info = await readRunInfo(dir);
  const run = { dir, info: { ...info, cwd: dir } };
  const r = await jsonReport(run);
  const port = r.events.find((e) => e.key === 'PORT')!;
  assert.equal(port.file, join(dir, 'internal', 'cfg', 'cfg.go'));
  assert.equal(port.function, 'example.com/shop/internal/cfg.Load');
  const frames = r.stacks[port.stack!];
  assert.deepEqual(frames.map((f) => f.file), [
    '/usr/local/go/src/os/env.go',
    join(dir, 'internal', 'cfg', 'cfg.go'),
    join(dir, 'tools', 'run.go'),
    join(dir, 'main.go'),
    '/home/u/go/pkg/mod/github.com/!acme/lib@v1.2.0/lib.go',
  ]);
  // A module path without a dot (shoptools) is user code once go.work names it.
  const tool = r.events.find((e) => e.key === 'TOOL')!;
  assert.equal(tool.api, 'os.LookupEnv');
  assert.equal(tool.file, join(dir, 'tools', 'run.go'));
});

test('unknown versions and files without a process record are counted, the rest is read', async () => {
  const dir = join(fixtures, 'newer');
  const seen: string[] = [];
  const stats = await readRun(dir, { event: (e) => void seen.push(`${e.pid} ${e.key} ${e.api} ${e.user?.line ?? '-'}`) });
  assert.equal(stats.files, 3);
  assert.equal(stats.unreadableFiles, 2); // v2, and the empty file
  // The file without a P record is read, named after its file; a stack's own api wins.
  assert.deepEqual(seen, ['402 X syscall.Getenv -', '402 TZ syscall.Getenv 9']);
  assert.equal(stats.badLines, 1);
});

test('a report written to a file is streamed and parses', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'envtrace-report-'));
  try {
    cpSync(join(fixtures, 'basic'), join(tmp, 'run'), { recursive: true });
    const run = { dir: join(tmp, 'run'), info: await readRunInfo(join(tmp, 'run')) };
    const out = createWriteStream(join(tmp, 'r.json'));
    await writeJsonReport(run, { write: (t) => new Promise<void>((res) => (out.write(t) ? res() : out.once('drain', () => res()))) });
    await new Promise<void>((res) => out.end(res));
    const r = JSON.parse(readFileSync(join(tmp, 'r.json'), 'utf8')) as Report;
    assert.equal(r.events.length, 15);
    assert.equal(r.runDir, join(tmp, 'run'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a JSON report replays into the same aggregate as its run directory', async () => {
  const run = await stored('basic');
  const tmp = mkdtempSync(join(tmpdir(), 'envtrace-import-'));
  try {
    let text = '';
    await writeJsonReport(run, { write: (t) => void (text += t) });
    writeFileSync(join(tmp, 'r.json'), text);
    const agg = new RunAggregate();
    const replay = await replayReport(join(tmp, 'r.json'), agg);
    const direct = await aggregateRun(run);
    assert.deepEqual(agg.reportVars(), direct.agg.reportVars());
    assert.deepEqual(agg.traceLines(), direct.agg.traceLines());
    assert.equal(replay.lostEvents, 3);
    assert.equal(replay.head.id, run.info.id);
    writeFileSync(join(tmp, 'bad.json'), '{"version": 2}');
    const bad = await replayReport(join(tmp, 'bad.json'), new RunAggregate());
    assert.equal(bad.unreadableFiles, 1);
    assert.match(bad.message ?? '', /unknown report version 2 \(this envtrace reads version 1\)/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('cells give the editor per key and stack: count, values, processes, goroutines, tests', async () => {
  const { agg } = await aggregateRun(await stored('basic'));
  const db = agg.cellsOf('DATABASE_URL').find((c) => c.line === 12)!;
  assert.equal(db.file, '/work/app/main.go');
  assert.equal(db.api, 'os.Getenv');
  assert.equal(db.count, 4);
  assert.deepEqual([...db.pids].sort(), [100, 101]);
  assert.deepEqual([...db.goroutines].map(goroutineOf), [{ pid: 100, goroutine: 1 }, { pid: 101, goroutine: 1 }]);
  assert.deepEqual([...db.values.values()].map((v) => [v.value, v.count]), [['postgres://db:5432/app', 4]]);
  const region = agg.cellsOf('REGION').find((c) => c.line === 40)!;
  assert.deepEqual([...region.values.values()].map((v) => [v.found, v.count]), [[false, 1]]);
  assert.ok([...agg.cells()].some((c) => c.key === null && c.op === 'spawn'));

  const races = join(fixtures, 'races');
  const r = await aggregateRun({ dir: races, info: await readRunInfo(races) });
  const setenv = r.agg.cellsOf('E_TESTING').find((c) => c.op === 'setenv')!;
  assert.equal(setenv.api, 'testing.T.Setenv');
  assert.deepEqual([...setenv.tests], ['TestE']);
});

test('mapped process files: zero tails and the zeros of a record cut short are no lines; the rest is read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-mapped-'));
  try {
    const ev = (seq: number, k: string) => `{"t":"E","seq":${seq},"g":1,"pg":0,"op":"getenv","k":"${k}","ok":true,"v":"x","t0":${seq},"t1":${seq},"s":1,"wg":0,"wf":false}\n`;
    const text =
      '{"t":"P","v":1,"pid":7,"ppid":1,"parent":0,"run":"r","argv":[],"cwd":"/","go":"go1.26","os":"linux","arch":"amd64","wall":1000000000,"mono":0,"depth":16}\n' +
      '{"t":"S","id":1,"api":"os.Getenv","f":[["main.main","/m/main.go",3]]}\n' +
      ev(1, 'A') +
      // A writer killed while copying seq 2: part of its record, then the zeros of the rest.
      ev(2, 'B').slice(0, 40) + '\0'.repeat(ev(2, 'B').length - 40) +
      ev(3, 'C') +
      '\0'.repeat(5000); // the unused tail of the chunk
    writeFileSync(join(dir, '7-1000000000.jsonl'), text);
    const keys: string[] = [];
    const stats = await readRun(dir, { event: (e) => void keys.push(e.key!) });
    assert.deepEqual(keys, ['A', 'C']);
    assert.deepEqual([stats.badLines, stats.lostEvents, stats.unreadableFiles], [1, 1, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
