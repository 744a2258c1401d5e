// `envtrace import`'s engine: OTLP JSON, run directories and JSON reports into one fleet run,
// read back by the run store's own reader (the report the CLI prints).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importRuns } from '../../server/src/runs/import/importRuns';
import { PID_SPACE } from '../../server/src/runs/fleetGroups';
import { aggregateRun, reportHead } from '../../server/src/runs/load';
import type { StoredRun } from '../../server/src/runs/store';
import { fleetLines, otlpLine, type FleetProcess } from './otlpFixtures';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'envtrace-import-'));
}

async function reportOf(run: StoredRun) {
  const { agg, stats } = await aggregateRun(run);
  return reportHead(run, agg, stats);
}

function processText(dir: string): string {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .map((n) => readFileSync(join(dir, n), 'utf8'))
    .join('');
}

test('OTLP JSON of 13 pods becomes one run: processes keep where, pid 1 of each pod stays apart, aggregated counts are kept', async () => {
  const base = tmp();
  const file = join(base, 'logs.json');
  writeFileSync(file, fleetLines(12).join('\n') + '\n');
  const r = await importRuns([file], { store: join(base, '.envtrace'), label: 'prod' });
  assert.equal(r.processes, 13);
  assert.equal(r.duplicates, 0);
  assert.deepEqual(r.notes, []);
  const rep = await reportOf(r.run);
  assert.equal(rep.label, 'prod');
  assert.equal(rep.processes.length, 13);
  assert.deepEqual(rep.processes.map((p) => p.pid).sort((a, b) => a - b), Array.from({ length: 13 }, (_, i) => 1 + i * PID_SPACE));
  assert.deepEqual(rep.processes.find((p) => p.where?.pod === 'api-4')?.where, { host: 'node-1', pod: 'api-4', namespace: 'shop', service: 'api' });
  assert.equal(rep.processes.filter((p) => p.where?.service === 'worker').length, 1);
  const port = rep.vars.find((v) => v.key === 'PORT')!;
  assert.equal(port.reads, 39);
  assert.equal(port.unsetReads, 6);
  assert.deepEqual(port.values.map((v) => [v.value, v.count]), [['8080', 30], ['9090', 3]]);
  assert.deepEqual(port.sites.map((s) => [s.file, s.line, s.count]), [['/src/app/main.go', 12, 39]]);
  assert.deepEqual(rep.counts, { keys: 1, unset: 1, races: 0, processes: 13 });
});

test('the same records twice (a resend, or the file given twice) count once; duplicates are reported', async () => {
  const base = tmp();
  const a = join(base, 'a.json');
  const b = join(base, 'b.json');
  const lines = fleetLines(3);
  writeFileSync(a, lines.join('\n'));
  writeFileSync(b, [lines[1], lines[3]].join('\n'));
  const r = await importRuns([a, b, a], { store: join(base, '.envtrace') });
  assert.equal(r.processes, 4);
  assert.equal(r.duplicates, 4 + 2);
  const port = (await reportOf(r.run)).vars.find((v) => v.key === 'PORT')!;
  assert.equal(port.reads, 12);
});

test('hostile OTLP: bad lines, wrong types, control characters and huge values are skipped with a note; clear secrets are redacted', async () => {
  const base = tmp();
  const p: FleetProcess = { service: 'api', pod: 'api-0', host: 'n', pid: 9 };
  const lines = [
    'not json at all',
    '{"resourceLogs": 5}',
    '[]',
    otlpLine([{ process: p, accesses: [
      { key: 'PORT', value: '8080', count: 2 },
      { key: 'BAD\nKEY', value: 'x', id: 'r1' },
      { key: 'COUNTED', value: 'x', id: 'r2', extra: { 'envtrace.count': 'many' } },
      { key: 'NEG', value: 'x', id: 'r3', count: -4 },
      { key: 'HUGE', value: 'v'.repeat((1 << 20) + 1), id: 'r4' },
      { key: 'DB_PASSWORD', value: 'hunter2hunter2', id: 'r5' },
      { key: 'DATABASE_URL', value: 'postgres://app:s3cretpw@db/shop', id: 'r6' },
      { key: 'NOOP', id: 'r7', extra: { 'envtrace.op': 'format-disk' } },
    ] }]),
    otlpLine([{ process: { ...p, pod: 'evil\u001b[31m', pid: 10 }, accesses: [{ key: 'PORT', value: '1' }] }]),
    JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'process.pid', value: { stringValue: 'one' } }] }, scopeLogs: [] }, null, 7] }),
  ];
  const file = join(base, 'hostile.json');
  writeFileSync(file, lines.join('\n'));
  const r = await importRuns([file], { store: join(base, '.envtrace') });
  assert.equal(r.redacted, 2);
  assert.deepEqual(r.notes.sort(), [
    'hostile.json: 2 × a line without resourceLogs',
    'hostile.json: 2 × a record skipped (envtrace.count is not a count from 1 to 10^12)',
    'hostile.json: a line that is not JSON',
    'hostile.json: a record skipped (an unknown envtrace.op)',
    'hostile.json: a record skipped (envtrace.key holds a control character)',
    'hostile.json: a record skipped (envtrace.value is longer than 1048576 characters)',
    'hostile.json: a resource skipped (k8s.pod.name holds a control character)',
    'hostile.json: a resource skipped (process.pid is not an integer)',
  ]);
  const rep = await reportOf(r.run);
  assert.deepEqual(rep.vars.map((v) => v.key), ['DATABASE_URL', 'DB_PASSWORD', 'PORT']);
  assert.equal(rep.vars.find((v) => v.key === 'PORT')!.reads, 2);
  assert.deepEqual(rep.processes.map((p) => p.where?.pod), ['api-0']);
  const onDisk = processText(r.run.dir);
  assert.doesNotMatch(onDisk, /hunter2|s3cretpw/);
  assert.equal(rep.vars.find((v) => v.key === 'DB_PASSWORD')!.values[0].length, 14);
});

test('run directories of several pods (pid 7 in each) become one run; the same directory twice counts once', async () => {
  const base = tmp();
  const pods = ['a', 'b'].map((pod) => {
    const dir = join(base, `vol-${pod}`);
    mkdirSync(dir);
    const P = { t: 'P', v: 1, pid: 7, ppid: 1, parent: 0, run: 'r', argv: ['/app'], cwd: '/app', go: 'go1.26.8', os: 'linux', arch: 'amd64', wall: 1_764_000_000_000_000_000, mono: 5_000, depth: 16, where: { host: `pod-${pod}`, pod: `pod-${pod}`, service: 'shop' } };
    const S = { t: 'S', id: 1, api: 'os.Getenv', f: [['os.Getenv', '/usr/local/go/src/os/env.go', 101], ['main.main', '/app/main.go', 9]] };
    const E = (seq: number, v: string) => ({ t: 'E', seq, g: 1, pg: 0, op: 'getenv', k: 'REGION', ok: true, v, t0: 5_000 + seq, t1: 5_001 + seq, s: 1, wg: 0, wf: false });
    const T = { t: 'E', seq: 3, g: 1, pg: 0, op: 'getenv', k: 'API_TOKEN', ok: true, v: 'ghp_abcdefghijklmnopqrstuvwxyz0123', t0: 5_010, t1: 5_011, s: 1, wg: 0, wf: false };
    writeFileSync(join(dir, `7-${P.wall}.jsonl`), [P, S, E(1, `eu-${pod}`), E(2, `eu-${pod}`), T].map((x) => JSON.stringify(x)).join('\n') + '\n');
    return dir;
  });
  const r = await importRuns([...pods, pods[0]], { store: join(base, '.envtrace') });
  assert.equal(r.processes, 2);
  assert.equal(r.duplicates, 1);
  assert.equal(r.redacted, 2);
  const rep = await reportOf(r.run);
  assert.deepEqual(rep.processes.map((p) => [p.pid, p.where?.pod]), [[7, 'pod-a'], [7 + PID_SPACE, 'pod-b']]);
  const region = rep.vars.find((v) => v.key === 'REGION')!;
  assert.deepEqual(region.values.map((v) => [v.value, v.count]), [['eu-a', 2], ['eu-b', 2]]);
  assert.deepEqual(region.sites.map((s) => [s.file, s.line]), [['/app/main.go', 9]]);
  assert.doesNotMatch(processText(r.run.dir), /ghp_/);
});

test('a JSON report with aggregated events imports with its counts; a compressed file is refused with one line', async () => {
  const base = tmp();
  const report = {
    version: 1, id: 'ci-1', label: 'ci', command: ['go', 'test'], cwd: '/w', exitCode: 0, runDir: '/w/.envtrace/runs/ci-1', goVersion: 'go1.26.8',
    processes: [{ pid: 3, ppid: 1, parent: null, argv: ['x.test'], cwd: '/w', start: 1, end: 2, where: { host: 'ci-runner', service: 'x' } }],
    stacks: { '1': [{ function: 'main.main', file: '/w/main.go', line: 4 }] },
    events: [{ seq: 1, pid: 3, goroutine: 1, parentGoroutine: 0, time: 1.5, op: 'getenv', api: 'os.Getenv', key: 'MODE', found: true, value: 'fast', redacted: false, file: '/w/main.go', line: 4, function: 'main.main', stack: '1', count: 40 }],
    vars: [], counts: { keys: 1, unset: 0, races: 0, processes: 1 }, problems: { badLines: 0, lostEvents: 0, unreadableFiles: 0, notes: [] },
  };
  const file = join(base, 'report.json');
  writeFileSync(file, JSON.stringify(report));
  const r = await importRuns([file, file], { store: join(base, '.envtrace') });
  assert.equal(r.processes, 1);
  assert.equal(r.duplicates, 1);
  const rep = await reportOf(r.run);
  assert.deepEqual(rep.processes[0].where, { host: 'ci-runner', service: 'x' });
  assert.deepEqual(rep.vars.map((v) => [v.key, v.reads, v.values[0].count]), [['MODE', 40, 40]]);
  const gz = join(base, 'logs.json.gz');
  writeFileSync(gz, gzipSync(fleetLines(1).join('\n')));
  await assert.rejects(importRuns([gz], { store: join(base, '.envtrace') }), /gzip-compressed: decompress it first/);
  await assert.rejects(importRuns([join(base, 'missing.json')], { store: join(base, '.envtrace') }), /does not exist/);
});
