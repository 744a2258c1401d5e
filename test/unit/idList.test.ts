// IdList, the list-backed set of an entry's processes and goroutines (server/src/analysis/idList.ts),
// used the way the run observer uses it: a group per process first met, the whole list on a
// process met again. Checked against Set on sequences in reader order and interleaved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdList } from '../../server/src/analysis/idList';

/** Feeds (process, goroutine) pairs as observations.ts does; returns both lists. */
function observe(pairs: Array<[number, number]>): { procs: IdList; gs: IdList } {
  const procs = new IdList();
  const gs = new IdList();
  let lastProc = -1;
  for (const [proc, g] of pairs) {
    if (proc !== lastProc) {
      if (proc > procs.max()) {
        procs.group();
        gs.group();
      } else {
        procs.ungroup();
        gs.ungroup();
      }
      procs.add(proc);
      lastProc = proc;
    }
    gs.add(g * 1024 + proc);
  }
  return { procs, gs };
}

function pairs(seed: number, n: number, ordered: boolean): Array<[number, number]> {
  let x = seed;
  const rnd = (m: number) => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % m;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) out.push([ordered ? Math.floor((i * 40) / n) : rnd(40), rnd(i % 3 === 0 ? 60 : 5)]);
  return out;
}

test('an IdList holds each value once, in reader order and interleaved, small groups and large', () => {
  for (const ordered of [true, false]) {
    for (const seed of [1, 2, 3]) {
      const ps = pairs(seed, 5000, ordered);
      const { procs, gs } = observe(ps);
      const wantProcs = new Set(ps.map(([p]) => p));
      const wantGs = new Set(ps.map(([p, g]) => g * 1024 + p));
      assert.equal(procs.size, wantProcs.size);
      assert.equal(gs.size, wantGs.size, `goroutines, ordered=${ordered}`);
      assert.deepEqual([...gs].sort((a, b) => a - b), [...wantGs].sort((a, b) => a - b));
      assert.deepEqual(new Set(procs), wantProcs);
      for (const p of wantProcs) assert.ok(procs.has(p));
      assert.equal(procs.max(), Math.max(...wantProcs));
    }
  }
});

test('IdList.of makes one group of distinct values', () => {
  const l = IdList.of([3, 1, 3, 2, 1]);
  assert.deepEqual([...l], [3, 1, 2]);
  assert.equal(l.max(), 3);
  assert.equal(new IdList().max(), -Infinity);
});
