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
