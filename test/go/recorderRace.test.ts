// Precise race mode: under -race, env accesses become shadow accesses the race detector sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, readRun, traced } from './recorderSupport';

test('precise race mode: a racy Setenv/Getenv pair is reported by the race detector', async () => {
  // NOTE: under heavy load one run in a full suite once went unreported (cause not found; see
  // the issue note), so the racy program gets up to three runs; one report is required.
  let r = await traced('go', ['run', '.', 'racy'], { cwd: fixture('race'), race: true });
  for (let i = 0; i < 2 && !/WARNING: DATA RACE/.test(r.stderr); i++) {
    r = await traced('go', ['run', '.', 'racy'], { cwd: fixture('race'), race: true });
  }
  assert.match(r.stderr, /WARNING: DATA RACE/, `status ${r.status}, stdout ${JSON.stringify(r.stdout)}`);
  assert.match(r.stderr, /os\.Setenv\(\)/);
  assert.match(r.stderr, /os\.Getenv\(\)/);
  assert.match(r.stderr, /race\/main\.go:\d+/);
  const [f] = readRun(r.runDir);
  assert.equal(f.proc.race, true);
  assert.ok(f.events.some((e) => e.op === 'setenv' && e.k === 'RACE_STAGE'));
});

test('precise race mode: an access ordered only by an unrelated env call is still reported', async () => {
  const src = readFileSync(join(fixture('race'), 'main.go'), 'utf8').split('\n');
  const line = src.findIndex((l) => l.includes('// envflag: read')) + 1;
  const r = await traced('go', ['run', '.', 'envflag'], { cwd: fixture('race'), race: true });
  assert.match(r.stderr, /WARNING: DATA RACE/);
  assert.ok(r.stderr.includes(`race/main.go:${line} `), `the read of RACE_STAGE (line ${line}) is in a report:\n${r.stderr}`);
});

test('precise race mode: a properly ordered program is not reported', async () => {
  const r = await traced('go', ['run', '.', 'ordered'], { cwd: fixture('race'), race: true });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /DATA RACE/);
  assert.equal(r.stdout.trim(), 'prod');
  // Write generations and goroutine ancestry: what the race analysis orders accesses by.
  const [f] = readRun(r.runDir);
  const stage = f.events.filter((e) => e.k === 'RACE_STAGE');
  assert.deepEqual(stage.map((e) => [e.op, e.wg, e.wf]), [['setenv', 0, false], ['getenv', 1, false], ['setenv', 1, false]]);
  const [w, rd] = stage;
  assert.notEqual(rd.g, w.g, 'read in another goroutine');
  assert.equal(rd.pg, w.g, 'started by the writer');
  assert.ok(rd.t0 > w.t1);
});

test('precise race mode: os/exec children and go test with t.Setenv/t.Parallel give no false report', async () => {
  const p = await traced('go', ['run', '.'], { cwd: fixture('procs'), race: true });
  assert.equal(p.status, 0, p.stderr);
  assert.doesNotMatch(p.stderr, /DATA RACE/);
  assert.equal(readRun(p.runDir).length, 3, 'children traced in race mode too');
  const t = await traced('go', ['test', './...'], { cwd: fixture('multi'), race: true });
  assert.equal(t.status, 0, t.stdout + t.stderr);
  assert.doesNotMatch(t.stdout + t.stderr, /DATA RACE/);
});

test('plain -race without the precise mode does not see env races (syscall locks hide them)', async () => {
  const r = await traced('go', ['run', '.', 'racy'], { cwd: fixture('race'), env: { GOFLAGS: '-race' } });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /DATA RACE/);
});
