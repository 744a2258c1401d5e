import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { RaceCollector } from '../../server/src/analysis/races';
import { aggregateRun } from '../../server/src/runs/load';
import type { RunEvent } from '../../server/src/runs/reader';
import { readRunInfo } from '../../server/src/runs/store';
import { renderText } from '../../server/src/runs/text';

const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'runs', 'races');

async function races() {
  const { agg, stats } = await aggregateRun({ dir, info: await readRunInfo(dir) });
  return { agg, stats, byKey: Object.fromEntries(agg.reportVars().map((v) => [v.key, v.race])) };
}

test('an access while another goroutine writes is a definite race', async () => {
  const { byKey } = await races();
  const r = byKey.A_DEFINITE!;
  assert.equal(r.level, 'definite');
  assert.deepEqual(r.writers.map((w) => [w.goroutine, w.op, w.api, w.file, w.line]), [[1, 'setenv', 'os.Setenv', '/work/app/race.go', 10]]);
  assert.deepEqual(r.readers.map((w) => [w.goroutine, w.op, w.api, w.file, w.line]), [[2, 'getenv', 'os.Getenv', '/work/app/race.go', 20]]);
  assert.match(r.detail, /goroutine 1 writes A_DEFINITE at \/work\/app\/race.go:10/);
});

test('a goroutine that sees the value change under it by another goroutine is a likely race', async () => {
  const { byKey } = await races();
  assert.equal(byKey.B_LIKELY?.level, 'likely');
  assert.equal(byKey.B_LIKELY?.writers[0].goroutine, 3);
});

test('a write and a read of different goroutines close in time is a possible race', async () => {
  const { byKey } = await races();
  assert.equal(byKey.C_POSSIBLE?.level, 'possible');
  // An ancestor writing after the reader goroutine started is not ordered either.
  assert.equal(byKey.G_AFTER_START?.level, 'possible');
});

test('ancestor writes before the reader started, t.Setenv and far-apart accesses are not races', async () => {
  const { byKey, agg } = await races();
  assert.equal(byKey.D_ORDERED, null);
  assert.equal(byKey.E_TESTING, null);
  assert.equal(byKey.F_FAR, null);
  assert.equal(agg.totals().races, 5);
});

test('a write before the reader\'s test started is ordered; parallel tests are not', async () => {
  const { byKey } = await races();
  assert.equal(byKey.H_TESTMAIN, null); // TestMain's setup, then the test
  assert.equal(byKey.I_SEQUENTIAL, null); // one sequential test writes, a later one reads
  assert.equal(byKey.J_PARALLEL?.level, 'possible');
});

test('races appear as warning lines in the text trace', async () => {
  const { agg, stats } = await races();
  const text = renderText(agg, stats, { id: 'races', dir, cwd: '/work/app' });
  assert.ok(
    text.includes('⚠ [RACE] definite race on A_DEFINITE: written by goroutine 1 at race.go:10 (os.Setenv), read by goroutine 2 at race.go:20 (os.Getenv)'),
    text,
  );
  assert.match(text, /5 races/);
});

test('reads never race with reads, and a goroutine never races with itself', () => {
  const c = new RaceCollector();
  const ev = (g: number, op: RunEvent['op'], t0: number, wg: number): RunEvent => ({
    pid: 1, seq: t0, goroutine: g, parentGoroutine: 0, op, key: 'K', found: true, redacted: false, t0, t1: t0 + 1,
    time: 0, api: op === 'getenv' ? 'os.Getenv' : 'os.Setenv', stack: null, user: null, writeGen: wg, writeInFlight: false, weight: 1,
  });
  c.add(ev(1, 'getenv', 10, 0));
  c.add(ev(2, 'getenv', 11, 0));
  c.add(ev(3, 'setenv', 12, 0));
  c.add(ev(3, 'getenv', 13, 1));
  const r = c.races().get('K');
  assert.equal(r?.level, 'possible');
  assert.deepEqual(r?.readers.map((p) => p.goroutine).sort(), [1, 2]);
});
