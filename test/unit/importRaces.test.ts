// Race levels through an import (issue 13): OTLP records carrying `envtrace.race.level` become
// event lines with `race`, which the run store's race analysis reports again (aggregated records
// carry no goroutines or write generations, so the analysis alone cannot); a run directory of an
// imported run keeps them when imported again; an unknown level skips its record.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importRuns } from '../../server/src/runs/import/importRuns';
import { aggregateRun, reportHead } from '../../server/src/runs/load';
import { renderText } from '../../server/src/runs/text';
import type { StoredRun } from '../../server/src/runs/store';
import { otlpLine, type FleetProcess } from './otlpFixtures';

async function reportOf(run: StoredRun) {
  const { agg, stats } = await aggregateRun(run);
  return { rep: reportHead(run, agg, stats), text: renderText(agg, stats, { id: run.info.id, dir: run.dir, cwd: '/src/app' }) };
}

const api: FleetProcess = { service: 'api', pod: 'api-0', host: 'node-0', namespace: 'shop', pid: 1 };
const worker: FleetProcess = { service: 'worker', pod: 'worker-0', host: 'node-1', namespace: 'shop', pid: 1 };

test('envtrace.race.level survives the import: the report, its counts and the text trace show the race', async () => {
  const base = mkdtempSync(join(tmpdir(), 'envtrace-import-races-'));
  const file = join(base, 'collector.json');
  const likely = { 'envtrace.race.level': 'likely' };
  writeFileSync(file, [
    otlpLine([{ process: api, accesses: [
      { key: 'MODE', value: 'fast', count: 40, line: 24, fn: 'main.main.func1', extra: likely },
      { key: 'MODE', op: 'setenv', value: 'slow', count: 1, line: 29, extra: likely },
      { key: 'PORT', value: '8080', count: 2 },
      { key: 'ODD', value: 'x', id: 'odd', extra: { 'envtrace.race.level': 'certain' } },
    ] }]),
    // Another pod reads MODE without a race: only api-0's accesses are parties.
    otlpLine([{ process: worker, accesses: [{ key: 'MODE', value: 'fast', count: 3, line: 24 }] }]),
  ].join('\n') + '\n');
  const r = await importRuns([file], { store: join(base, '.envtrace') });
  assert.deepEqual(r.notes, ['collector.json: a record skipped (envtrace.race.level is not a race level)']);
  const lines = readdirSync(r.run.dir).filter((n) => n.endsWith('.jsonl')).flatMap((n) => readFileSync(join(r.run.dir, n), 'utf8').split('\n'));
  assert.equal(lines.filter((l) => l.includes('"race":"likely"')).length, 2, 'one line per raced record');

  const { rep, text } = await reportOf(r.run);
  assert.equal(rep.counts.races, 1);
  const mode = rep.vars.find((v) => v.key === 'MODE')!;
  assert.equal(mode.race?.level, 'likely');
  assert.deepEqual(mode.race?.writers.map((p) => [p.op, p.line, p.count]), [['setenv', 29, 1]]);
  assert.deepEqual(mode.race?.readers.map((p) => [p.op, p.line, p.count]), [['getenv', 24, 40]]);
  assert.equal(new Set([...mode.race!.writers, ...mode.race!.readers].map((p) => p.pid)).size, 1, 'the parties are api-0\'s');
  assert.match(mode.race!.detail, /as the source of this imported run reported$/);
  assert.equal(rep.vars.find((v) => v.key === 'PORT')!.race, null);
  assert.match(text, /^⚠ \[RACE\] likely race on MODE: written by goroutine 1 at main\.go:29 \(os\.Setenv\), read by goroutine 1 at main\.go:24 \(os\.Getenv\)$/m);

  // The imported run's directory imported again (a fleet of fleets): the levels are kept.
  const again = await importRuns([r.run.dir], { store: join(base, 'again', '.envtrace') });
  const second = await reportOf(again.run);
  assert.equal(second.rep.vars.find((v) => v.key === 'MODE')!.race?.level, 'likely');
});

test('a reported race whose other party did not arrive is still a race, worded as such', async () => {
  const base = mkdtempSync(join(tmpdir(), 'envtrace-import-races-'));
  const file = join(base, 'collector.json');
  writeFileSync(file, otlpLine([{ process: api, accesses: [{ key: 'ALONE', value: 'v', count: 5, extra: { 'envtrace.race.level': 'possible' } }] }]) + '\n');
  const r = await importRuns([file], { store: join(base, '.envtrace') });
  const { rep } = await reportOf(r.run);
  const alone = rep.vars.find((v) => v.key === 'ALONE')!.race!;
  assert.equal(alone.level, 'possible');
  assert.equal(alone.writers.length, 0);
  assert.equal(alone.readers[0].count, 5);
  assert.match(alone.detail, /^ALONE: a possible race in pid 1, as the source of this imported run reported \(its other party did not arrive\)$/);
});
