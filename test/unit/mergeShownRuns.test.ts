import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ShownRuns } from '../../server/src/analysis/shownRuns';
import { processStartTime, recorderIdentity, runState } from '../../server/src/runs/liveness';
import { fixtureRun } from './mergeSupport';

const tmp = mkdtempSync(join(tmpdir(), 'envtrace-shown-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const store = join(tmp, '.envtrace');

/** Puts a fixture run into the store under `id`, starting at `start`, finished or not. */
function addRun(fixture: string, id: string, start: string, end: string | null, extra: object = {}): string {
  const dir = join(store, 'runs', id);
  cpSync(fixtureRun(fixture), dir, { recursive: true });
  const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...info, id, start, end, ...extra }));
  return dir;
}

const ids = (s: ShownRuns) => s.observations.runs.map((r) => r.id);

test('shown runs follow the setting, skip a run until it completes, and reload only on change', async () => {
  addRun('helper', 'r1', '2026-11-26T10:00:00Z', '2026-11-26T10:00:01Z');
  addRun('helper-b', 'r2', '2026-11-26T11:00:00Z', '2026-11-26T11:00:01Z');
  const shown = new ShownRuns(store);
  assert.equal(await shown.refresh(), true);
  assert.deepEqual(ids(shown), ['r2']);
  assert.equal(await shown.refresh(), false, 'nothing changed: nothing reloaded');

  // Recorded by a live envtrace (this test process stands in for it).
  const running = addRun('racy', 'r3', '2026-11-26T12:00:00Z', null, recorderIdentity());
  assert.equal(await shown.refresh(), false, 'a run still recording is not shown yet');
  const choices = await shown.list();
  assert.deepEqual(choices.map((c) => [c.id, c.complete, c.shown]), [['r3', false, false], ['r2', true, true], ['r1', true, false]]);

  const info = JSON.parse(readFileSync(join(running, 'run.json'), 'utf8'));
  writeFileSync(join(running, 'run.json'), JSON.stringify({ ...info, end: '2026-11-26T12:00:02Z' }));
  assert.equal(await shown.refresh(), true, 'the run is picked up once it completes');
  assert.deepEqual(ids(shown), ['r3']);

  shown.setShown(2);
  assert.equal(await shown.refresh(), true);
  assert.deepEqual(ids(shown), ['r3', 'r2']);
  shown.setShown('all');
  await shown.refresh();
  assert.deepEqual(ids(shown), ['r3', 'r2', 'r1']);

  shown.choose(['r1']);
  await shown.refresh();
  assert.deepEqual(ids(shown), ['r1']);
  const file = readdirSync(join(store, 'runs', 'r1')).find((n) => n.endsWith('.jsonl'))!;
  appendFileSync(join(store, 'runs', 'r1', file), '{"t":"E","seq":999}\n');
  assert.equal(await shown.refresh(), true, 'a run whose files grew is read again');
  assert.equal(shown.observations.runs[0].problems.badLines, 1);

  shown.choose(null);
  shown.setShown('latest');
  shown.importReport(fixtureRun('gotest.json'));
  await shown.refresh();
  assert.deepEqual(
    shown.observations.runs.map((r) => [r.id, r.kind]),
    [
      ['r3', 'dir'],
      ['20261126-232702-78050e', 'report'],
    ],
  );
});

test('a run whose envtrace is gone is interrupted: listed as complete and shown with what it recorded', async () => {
  const gone = spawnSync(process.execPath, ['-e', '']).pid!;
  const other = join(tmp, 'other', '.envtrace');
  const dir = join(other, 'runs', 'r9');
  cpSync(fixtureRun('helper'), dir, { recursive: true });
  const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...info, id: 'r9', start: new Date().toISOString(), end: null, mode: 'run', pid: gone, pidStart: null, host: hostname() }));
  const shown = new ShownRuns(other);
  assert.equal(await shown.refresh(), true);
  assert.deepEqual(ids(shown), ['r9']);
  assert.deepEqual((await shown.list()).map((c) => [c.id, c.complete]), [['r9', true]]);
  assert.equal(runState({ start: new Date().toISOString(), end: null, mode: 'run', pid: gone, pidStart: null, host: hostname() }), 'interrupted');
  assert.equal(runState({ start: new Date().toISOString(), end: null, mode: 'run', ...recorderIdentity() }), 'running');
  // A reused pid is told apart by its start time where /proc has it (Linux).
  const reused = processStartTime(process.pid) === null ? 'running' : 'interrupted';
  assert.equal(runState({ start: new Date().toISOString(), end: null, mode: 'run', ...recorderIdentity(), pidStart: '1' }), reused, 'a reused pid');
  assert.equal(runState({ start: '2026-01-01T00:00:00Z', end: null, mode: 'run' }), 'interrupted', 'no recorder named, long ago');
});
