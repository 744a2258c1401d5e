import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectFlame, type FlameFilter, type FlameNode } from '../../server/src/runs/flame';
import { foldedText } from '../../server/src/runs/folded';
import { indexPictures, PictureCache } from '../../server/src/runs/pictureIndex';
import { readRunInfo, type StoredRun } from '../../server/src/runs/store';
import { collectTimeline } from '../../server/src/runs/timeline';
import { timelineWindow } from '../../server/src/runs/timelineView';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'runs');

async function stored(dir: string): Promise<StoredRun> {
  return { dir, info: await readRunInfo(dir) };
}

/** The tree with children in one order (the drawing sorts them anyway). */
function normal(n: FlameNode): FlameNode {
  return { ...n, children: n.children.map(normal).sort((a, b) => (a.name + a.file < b.name + b.file ? -1 : 1)) };
}

const FILTERS: FlameFilter[] = [{}, { keys: ['REGION'] }, { ops: ['write'] }, { ops: ['unset', 'read'] }, { pids: [100] }, { tests: ['TestE'] }, { unsetOnly: true }, { keys: ['NOPE'] }];

test('picture index: one pass gives the flame graph of every filter and the timeline (races in a pass of their own), as reading the run for each does', async () => {
  for (const name of ['basic', 'races', 'trimpath']) {
    const run = await stored(join(fixtures, name));
    const pictures = await indexPictures(run);
    for (const filter of FILTERS) {
      const { flame } = await collectFlame(run, filter);
      const cut = pictures.flame.collect(filter);
      const what = `${name} ${JSON.stringify(filter)}`;
      assert.equal(foldedText(cut.paths()), foldedText(flame.paths()), what);
      assert.equal(cut.total, flame.total, what);
      assert.deepEqual(normal(cut.tree()), normal(flame.tree()), what);
      assert.deepEqual(cut.seen, flame.seen, what);
      // What the view gets, built from the counts directly, is the same tree.
      const view = pictures.flame.result(filter);
      assert.equal(view.total, flame.total, what);
      assert.deepEqual(normal(view.tree), normal(flame.tree()), what);
      assert.deepEqual(view.keys, [...flame.seen.keys].sort(), what);
    }
    const { timeline } = await collectTimeline(run);
    // The views open before race analysis: the timeline says so, then has the same race lines.
    assert.equal(timelineWindow(pictures.timeline).racesPending, true);
    await pictures.races();
    assert.equal(timelineWindow(pictures.timeline).racesPending, false);
    assert.deepEqual(timelineWindow(pictures.timeline), timelineWindow(timeline), name);
    assert.deepEqual(timelineWindow(pictures.timeline, 0, 1500, 400, 'DATABASE_URL'), timelineWindow(timeline, 0, 1500, 400, 'DATABASE_URL'), name);
  }
});

test('picture cache: a run is read once while its files stay the same, again when one grows; the oldest run goes first', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'envtrace-pictures-'));
  try {
    const dirs = ['basic', 'races', 'trimpath'].map((n) => {
      const d = join(tmp, n);
      cpSync(join(fixtures, n), d, { recursive: true });
      return d;
    });
    const failures: string[] = [];
    const cache = new PictureCache(2, (dir) => failures.push(dir));
    const basic = await stored(dirs[0]);
    const first = await cache.get(basic);
    assert.equal(await cache.get(basic), first, 'held');
    const file = join(dirs[0], readdirSync(dirs[0]).find((f) => f.startsWith('100-'))!);
    appendFileSync(file, '{"t":"E","seq":99,"g":1,"pg":0,"op":"getenv","k":"LATE","ok":false,"t0":5000900000,"t1":5000900100,"s":1}\n');
    const again = await cache.get(basic);
    assert.notEqual(again, first, 'read again after the file grew');
    assert.ok(again.flame.collect().seen.keys.has('LATE'));
    await cache.get(await stored(dirs[1]));
    await cache.get(await stored(dirs[2]));
    assert.notEqual(await cache.get(basic), again, 'the oldest run was let go');
    assert.deepEqual(failures, []);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
