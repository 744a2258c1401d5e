// Race analysis on real traces (issue 9, test/fixtures/go/races): what cannot race is not
// reported (the four-line reproducer, sequential subtests, readers that exited before
// the write, a write before the go statement); true races are (two overlapping t.Parallel
// tests, readers in a loop while another goroutine writes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunAggregate } from '../../server/src/runs/aggregate';
import { readRun } from '../../server/src/runs/reader';
import { fixture, traced } from './recorderSupport';

/** Runs `go <args>` in the races fixture under trace; its races by key (level). */
async function racesOf(args: string[], cwd = fixture('races')): Promise<{ races: Record<string, string>; stdout: string; runDir: string }> {
  const r = await traced('go', args, { cwd });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const agg = new RunAggregate();
  const stats = await readRun(r.runDir, agg, { cwds: [cwd] });
  assert.equal(stats.badLines, 0, 'every record is understood');
  return { races: Object.fromEntries([...agg.races()].map(([k, v]) => [k, v.level])), stdout: r.stdout, runDir: r.runDir };
}

test('the four-line reproducer (sequential tests, os.Setenv and t.Setenv) gives no race', async () => {
  const { races } = await racesOf(['test', '-count=1', '.'], fixture('races/repro'));
  assert.deepEqual(races, {});
});

test('sequential subtests are ordered; two overlapping t.Parallel tests writing and reading a key race', async () => {
  const { races } = await racesOf(['test', '-count=1', '-parallel=2', '.'], fixture('races/parallel'));
  assert.deepEqual(races, { PAR_KEY: 'likely' });
});

test('8 goroutines reading in a loop while main writes the key: a race', async () => {
  const { races } = await racesOf(['run', '.', 'loop']);
  assert.ok(races.LOOP_KEY === 'likely' || races.LOOP_KEY === 'definite', JSON.stringify(races));
});

test('readers that exited before the write (wg.Wait) and readers started after it: no race', async () => {
  assert.deepEqual((await racesOf(['run', '.', 'waited'])).races, {});
  assert.deepEqual((await racesOf(['run', '.', 'spawned'])).races, {});
});
