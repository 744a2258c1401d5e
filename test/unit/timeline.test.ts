import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectTimeline } from '../../server/src/runs/timeline';
import { MAX_MARKS, timelineWindow } from '../../server/src/runs/timelineView';
import { readRunInfo } from '../../server/src/runs/store';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'runs');

async function timelineOf(name: string) {
  const dir = join(fixtures, name);
  return (await collectTimeline({ dir, info: await readRunInfo(dir) })).timeline;
}

test('timeline: a lane per process and per goroutine, marks for accesses and process start/end, µs from the start', async () => {
  const tl = await timelineOf('basic');
  const w = timelineWindow(tl);
  assert.deepEqual(
    w.lanes.map((l) => l.label),
    ['process 100', 'g0', 'g1', 'process 101', 'g1'],
  );
  assert.ok(w.marks, 'a small run is drawn as marks');
  assert.equal(w.marks!.filter((m) => m.kind === 'start').length, 2);
  assert.equal(w.marks!.filter((m) => m.kind === 'end').length, 2);
  const db = w.marks!.find((m) => m.key === 'DATABASE_URL')!;
  assert.equal(db.site, '/work/app/main.go:12');
  assert.equal(db.kind, 'getenv');
  // pid 100 starts at 0; its first DATABASE_URL read is 1,000 µs after its start (mono 5.001 s vs 5.000 s).
  assert.equal(w.start, 0);
  assert.equal(Math.round(db.t), 1000);
  // Marks come in time order.
  assert.deepEqual(w.marks!.map((m) => m.t), [...w.marks!.map((m) => m.t)].sort((a, b) => a - b));
});

test('timeline: race pairs joined on their lanes, test spans on the test goroutine, named by the test', async () => {
  const tl = await timelineOf('races');
  const w = timelineWindow(tl);
  const definite = w.races.find((r) => r.key === 'A_DEFINITE')!;
  assert.ok(definite, JSON.stringify(w.races.map((r) => r.key)));
  assert.notEqual(definite.rowA, definite.rowB);
  assert.equal(definite.a.site, '/work/app/race.go:10');
  assert.equal(definite.b.site, '/work/app/race.go:20');
  const lane = w.lanes.findIndex((l) => l.test === 'TestE');
  assert.ok(lane >= 0);
  assert.equal(w.lanes[lane].label, 'TestE (g6)');
});

test('timeline: a window zoomed in keeps only its marks; more than MAX_MARKS in view become density that adds up', async () => {
  const tl = await timelineOf('races');
  const all = timelineWindow(tl);
  const a = all.marks!.find((m) => m.key === 'B_LIKELY')!;
  const near = timelineWindow(tl, a.t - 1, a.t + 1);
  assert.deepEqual(near.marks!.map((m) => m.key), ['B_LIKELY']);
  // Fill a run past the threshold by repeating the columns' events (the reader is tested elsewhere).
  for (let i = 0; i < MAX_MARKS; i++) tl.cols.push(i, 1, 0, 0, 0);
  (tl as unknown as { order: null }).order = null;
  const dense = timelineWindow(tl, 0, tl.end, 200);
  assert.equal(dense.marks, null);
  assert.equal(dense.density!.reduce((n, c) => n + c.count, 0), dense.count);
  assert.ok(dense.density!.length <= dense.lanes.length * 100);
});

test('timeline: density cells of a lane do not overlap, and alike neighbouring columns are one cell', async () => {
  const tl = await timelineOf('races');
  // Lane 1 busy at an even pace over [0, 1000) µs, then lane 2 busier at its own pace.
  for (let i = 0; i < MAX_MARKS; i++) tl.cols.push(i * (1000 / MAX_MARKS), 1, 0, 0, 0);
  for (let i = 0; i < 3 * MAX_MARKS; i++) tl.cols.push(i * (1000 / (3 * MAX_MARKS)), 2, 0, 0, 0);
  (tl as unknown as { order: null }).order = null;
  const dense = timelineWindow(tl, 0, 1000, 400);
  const byRow = new Map<number, typeof dense.density>();
  for (const c of dense.density!) byRow.set(c.row, [...(byRow.get(c.row) ?? []), c]);
  for (const cells of byRow.values()) {
    const sorted = [...cells!].sort((a, b) => a.from - b.from);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i].from >= sorted[i - 1].to - 1e-9, 'cells of one lane overlap');
    for (const c of sorted) assert.ok(c.level > 0 && c.level <= 1, `level ${c.level}`);
  }
  // The even lanes are drawn as a cell or two each, not as 200 columns; the busier one is the darker.
  const rowOf = (lane: number) => dense.lanes.indexOf(tl.lanes[lane]);
  const one = byRow.get(rowOf(1))!;
  const two = byRow.get(rowOf(2))!;
  assert.ok(one.length <= 3 && two.length <= 3, `${one.length} and ${two.length} cells`);
  assert.equal(Math.max(...two.map((c) => c.level)), 1);
  assert.ok(Math.max(...one.map((c) => c.level)) < 1);
  assert.equal(dense.density!.reduce((n, c) => n + c.count, 0), dense.count);
});
