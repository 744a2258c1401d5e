// `envtrace import` through the built CLI: OTLP JSON of a fleet becomes a stored run that
// `envtrace report --format json` shows with each process's where.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Report } from '../../server/src/runs/report';
import { fleetLines } from './otlpFixtures';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');

function envtrace(args: string[], cwd: string) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
}

test('envtrace import stores one fleet run; report --format json shows its processes with where', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-import-cli-'));
  writeFileSync(join(dir, 'collector.json'), fleetLines(4).join('\n') + '\n');
  const r = envtrace(['import', '--label', 'prod', 'collector.json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const id = /as run (\S+)/.exec(r.stdout)?.[1];
  assert.ok(id, r.stdout);
  assert.match(r.stdout, /^envtrace: imported 5 process\(es\), 5 event line\(s\) as run /);
  const rep = envtrace(['report', '--format', 'json', id!], dir);
  assert.equal(rep.status, 0, rep.stderr);
  const report = JSON.parse(rep.stdout) as Report;
  assert.equal(report.label, 'prod');
  assert.deepEqual(report.processes.map((p) => p.where?.pod).sort(), ['api-0', 'api-1', 'api-2', 'api-3', 'worker-0']);
  assert.deepEqual(report.processes.map((p) => p.where?.service).sort(), ['api', 'api', 'api', 'api', 'worker']);
  assert.equal(report.vars[0].reads, 15);
  assert.equal(report.events[0].count, 3);
  const runs = envtrace(['runs'], dir);
  assert.match(runs.stdout, new RegExp(`${id}\\s+\\S+ \\S+\\s+import\\s+5\\s+prod`));

  const bad = envtrace(['import', 'nothing.json'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^envtrace: .*nothing\.json does not exist\n$/);
});

test('envtrace diff compares a fleet with a local run per service (text and json)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-fleet-diff-'));
  writeFileSync(join(dir, 'collector.json'), fleetLines(4).join('\n') + '\n');
  const id = /as run (\S+)/.exec(envtrace(['import', 'collector.json'], dir).stdout)?.[1];
  assert.ok(id);
  const local = {
    version: 1, id: 'local-1', label: 'laptop', command: ['go', 'run', '.'], cwd: '/elsewhere', exitCode: 0, runDir: '/src/app/.envtrace/runs/local-1', goVersion: 'go1.26.8',
    processes: [{ pid: 4242, ppid: 1, parent: null, argv: ['main'], cwd: '/elsewhere', start: 1, end: 2 }],
    stacks: { '1': [{ function: 'main.main', file: '/src/app/main.go', line: 12 }] },
    events: [{ seq: 1, pid: 4242, goroutine: 1, parentGoroutine: 0, time: 1.5, op: 'getenv', api: 'os.Getenv', key: 'PORT', found: true, value: '8080', redacted: false, file: '/src/app/main.go', line: 12, function: 'main.main', stack: '1' }],
    vars: [], counts: { keys: 1, unset: 0, races: 0, processes: 1 }, problems: { badLines: 0, lostEvents: 0, unreadableFiles: 0, notes: [] },
  };
  writeFileSync(join(dir, 'local.json'), JSON.stringify(local));
  const text = envtrace(['diff', id!, 'local.json'], dir);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^per service:\n\[api\] A: 4 processes on 4 pods \(shop\/api-0, shop\/api-1, shop\/api-2, \+1\) · B: 1 process\n  no differences \(1 keys compared\)\n\[worker\] A: 1 process on pod shop\/worker-0 · B: 1 process\n  ~ PORT  values changed: "9090" \(×3\) → "8080" \(×1\)\n$/m);
  const json = JSON.parse(envtrace(['diff', '--format', 'json', id!, 'local.json'], dir).stdout) as { services: { service: string; a: unknown; b: unknown; keys: { key: string; valuesChanged: boolean }[] }[] };
  assert.deepEqual(json.services.map((s) => [s.service, s.a, s.b, s.keys.map((k) => [k.key, k.valuesChanged])]), [
    ['api', { processes: 4, places: 4, kind: 'pod', names: ['shop/api-0', 'shop/api-1', 'shop/api-2', 'shop/api-3'] }, { processes: 1, places: 1, kind: 'host', names: [] }, []],
    ['worker', { processes: 1, places: 1, kind: 'pod', names: ['shop/worker-0'] }, { processes: 1, places: 1, kind: 'host', names: [] }, [['PORT', true]]],
  ]);
  const plain = JSON.parse(envtrace(['diff', '--format', 'json', 'local.json', 'local.json'], dir).stdout) as { services?: unknown };
  assert.equal(plain.services, undefined, 'no services when neither run is a fleet');
});
