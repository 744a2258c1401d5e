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
