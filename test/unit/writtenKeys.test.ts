import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadObservations } from '../../server/src/analysis/loadObservations';
import { aggregateRun } from '../../server/src/runs/load';
import { nodeRunFs } from '../../server/src/runs/lines';
import { readRunInfo } from '../../server/src/runs/store';
import { writtenKeysOf } from '../../server/src/runs/writtenKeys';

const racesDir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'runs', 'races');

test('the scan finds the key of every write line, whatever its form, and no read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-written-'));
  try {
    const file = join(dir, '1-1.jsonl');
    const lines = [
      '{"t":"P","v":1,"pid":1,"env":[{"k":"X","v":"os.Unsetenv"}]}',
      '{"t":"E","seq":1,"g":1,"op":"getenv","k":"READ_ONLY","ok":true,"v":"mentions setenv","t0":1}',
      '{"t":"E","seq":2,"g":1,"op":"setenv","k":"PLAIN","t0":2}',
      '{ "t": "E", "seq": 3, "g": 1, "op": "unsetenv", "k": "SPACED", "t0": 3 }',
      // The op spelled with an escape: no `setenv` bytes on the line.
      '{"t":"E","seq":4,"g":1,"op":"\\u0073etenv","k":"ESCAPED_\\u00e9","t0":4}',
      // A write cut by a zero byte (a killed writer's reservation) is no line of its own.
      '{"t":"E","seq":5,"g":1,"op":"setenv","k":"CUT"\u0000\u0000{"t":"E","seq":6,"g":1,"op":"setenv","k":"AFTER_ZEROS","t0":6}',
    ];
    writeFileSync(file, lines.join('\n') + '\n');
    const keys = await writtenKeysOf(file, dir, nodeRunFs);
    assert.deepEqual([...keys].sort(), ['AFTER_ZEROS', 'ESCAPED_é', 'PLAIN', 'SPACED']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('race verdicts are the same with and without the written-keys scan', async () => {
  const run = { dir: racesDir, info: await readRunInfo(racesDir) };
  const scanned = await aggregateRun(run);
  const plain = await aggregateRun(run, { writtenKeys: false });
  assert.equal(scanned.agg.totals().races, 5);
  assert.deepEqual(scanned.agg.reportVars(), plain.agg.reportVars());
  const a = await loadObservations([racesDir]);
  const b = await loadObservations([racesDir], { writtenKeys: false });
  assert.deepEqual([...a.runs[0].races], [...b.runs[0].races]);
  assert.equal(a.runs[0].races.size, 5);
});

test('a write appended after the scan (a live run) is still analysed, with the reads after it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-written-live-'));
  try {
    const lines = [
      '{"t":"P","v":1,"pid":9,"ppid":1,"parent":0,"argv":["app"],"cwd":"/work/app","wall":1764158400000000000,"mono":1000000000,"env":[]}',
      '{"t":"S","id":1,"f":[["os.Getenv","/usr/lib/go/src/os/env.go",101],["main.read","/work/app/main.go",5]]}',
      '{"t":"S","id":2,"f":[["os.Setenv","/usr/lib/go/src/os/env.go",120],["main.write","/work/app/main.go",9]]}',
      '{"t":"E","seq":1,"g":2,"pg":1,"op":"getenv","k":"LIVE","ok":true,"v":"a","t0":1000000100,"t1":1000000110,"s":1,"wg":0}',
    ];
    const later = [
      '{"t":"E","seq":2,"g":3,"pg":1,"op":"setenv","k":"LIVE","v":"b","t0":1000000200,"t1":1000000210,"s":2,"wg":0}',
      '{"t":"E","seq":3,"g":2,"pg":1,"op":"getenv","k":"LIVE","ok":true,"v":"b","t0":1000000300,"t1":1000000310,"s":1,"wg":1}',
    ];
    writeFileSync(join(dir, '9-1764158400000000000.jsonl'), lines.join('\n') + '\n');
    let reads = 0;
    // The first read of the file (the scan) sees it before the program wrote the last lines.
    const growing = {
      ...nodeRunFs,
      chunks: (file: string, within: string, skipped: (n: number) => void) => {
        if (reads++ === 1) writeFileSync(file, [...lines, ...later].join('\n') + '\n');
        return nodeRunFs.chunks(file, within, skipped);
      },
    };
    const obs = await loadObservations([dir], { fs: growing });
    assert.equal(reads, 2);
    const race = obs.runs[0].races.get('LIVE');
    assert.ok(race, 'the race on LIVE is found');
    assert.equal(race.writers[0].goroutine, 3);
    assert.equal(race.readers[0].goroutine, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
