// The text report's process lines (issue 13) through the built CLI: a fleet run imported from
// OTLP names where each process ran (service, pod with namespace, container, host, OS pids), one
// line per place, capped; a run of this machine alone gets none; --quiet prints only the summary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { processLines } from '../../server/src/runs/whereText';
import { PID_SPACE } from '../../server/src/runs/fleetGroups';
import { fleetLines, otlpLine } from './otlpFixtures';

const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function envtrace(args: string[], cwd: string) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
}

function imported(lines: string[]): { dir: string; id: string } {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-report-where-'));
  writeFileSync(join(dir, 'collector.json'), lines.join('\n') + '\n');
  const r = envtrace(['import', 'collector.json'], dir);
  assert.equal(r.status, 0, r.stderr);
  return { dir, id: /as run (\S+)/.exec(r.stdout)![1] };
}

test('envtrace report of a fleet run: one [PROCESS] line per place (name order) before the trace, OS pids, containers cut to 12 digits', () => {
  const container = 'c'.repeat(64);
  const { dir, id } = imported([
    ...fleetLines(2),
    otlpLine([{ process: { service: 'api', pod: 'api-0', host: 'node-0', namespace: 'shop', pid: 7 }, accesses: [{ key: 'PORT', value: '8080' }] }]),
    // A container of no pod, and a process whose resource names only its host.
    otlpLine([{ process: { service: 'batch', host: 'node-2', pid: 1 }, accesses: [{ key: 'PORT', value: '1', extra: {} }] }]).replace('"resource":{"attributes":[', `"resource":{"attributes":[{"key":"container.id","value":{"stringValue":"${container}"}},`),
  ]);
  const r = envtrace(['report', id], dir);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 4), [
    '[PROCESS] api · pod shop/api-0 · host node-0 · pids 1, 7',
    '[PROCESS] api · pod shop/api-1 · host node-1 · pid 1',
    `[PROCESS] batch · container ${'c'.repeat(12)} · host node-2 · pid 1`,
    '[PROCESS] worker · pod shop/worker-0 · host node-0 · pid 1',
  ]);
  assert.match(lines[4], /^\[GETENV\] /);
  const quiet = envtrace(['report', '--quiet', id], dir);
  assert.doesNotMatch(quiet.stdout, /\[PROCESS\]/);
});

test('more than 50 places: 50 lines and a count of the rest; a run of this machine alone has no process lines', () => {
  const { dir, id } = imported(fleetLines(60));
  const r = envtrace(['report', id], dir);
  assert.equal(r.status, 0, r.stderr);
  const places = r.stdout.split('\n').filter((l) => l.startsWith('[PROCESS]'));
  assert.equal(places.length, 51);
  assert.equal(places[50], '[PROCESS] +11 more places (envtrace report --format json lists every process)');

  const here = hostname();
  assert.deepEqual(processLines([{ pid: 10, where: { host: here, service: 'example.com/app' } }, { pid: 11 }], here), []);
  assert.deepEqual(processLines([{ pid: 10, where: { host: here } }, { pid: 11 + PID_SPACE, where: { host: 'ci-runner-3' } }, { pid: 12 }], here), [
    ...[`[PROCESS] host ${here} · pid 10`, '[PROCESS] host ci-runner-3 · pid 11'].sort(new Intl.Collator('en', { numeric: true }).compare),
    '[PROCESS] where unknown · pid 12',
  ]);
});
