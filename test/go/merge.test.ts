// The merge on runs recorded now, by the real CLI and tracer, from the fixture programs
// in test/fixtures/merge/app (the same programs the checked-in runs came from).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { loadObservations, loadStore } from '../../server/src/analysis/loadObservations';
import { mergeContext, observationsForFile, type SiteObservation } from '../../server/src/analysis/merge';
import type { RunDiff } from '../../server/src/analysis/diff';
import { scanTree } from '../../server/src/scan/index';
import type { Site } from '../../server/src/scan/types';

const repo = resolve(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const app = join(repo, 'test', 'fixtures', 'merge', 'app');
const store = mkdtempSync(join(tmpdir(), 'envtrace-merge-go-'));
after(() => rmSync(store, { recursive: true, force: true }));

/** Runs `envtrace --dir <store> -- cmd…` in the fixture app and returns the new run's directory. */
function record(env: Record<string, string>, ...command: string[]): string {
  const runs = join(store, '.envtrace', 'runs');
  const before = new Set(existsSync(runs) ? readdirSync(runs) : []);
  const r = spawnSync(process.execPath, [cli, '--dir', store, '--quiet', '--', ...command], { cwd: app, env: { ...process.env, ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const fresh = readdirSync(runs).filter((n) => !before.has(n));
  assert.equal(fresh.length, 1);
  return join(runs, fresh[0]);
}

let sites: Promise<Site[]> | undefined;
async function observeFile(dirs: string[], file: string): Promise<SiteObservation[]> {
  const all = await (sites ??= scanTree(app).then((r) => r.sites));
  const ctx = mergeContext(await loadObservations(dirs), app, { files: all.map((s) => s.file) });
  return observationsForFile(
    ctx,
    all.filter((s) => s.file === file),
  );
}
const at = (list: SiteObservation[], line: number, key: string | null) => list.find((o) => o.site.line === line && o.site.key === key)!;

test('live runs: helper call sites, unset with default, secret, dynamic key, race', async () => {
  const helper = record({ PORT: '9191', DB_PASSWORD: 's3cret-value', FEATURE_1: 'yes' }, 'go', 'run', './cmd/helper');
  const list = await observeFile([helper], 'cmd/helper/main.go');
  assert.deepEqual(at(list, 19, 'PORT').values.map((v) => [v.value, v.count]), [['9191', 1]]);
  assert.equal(at(list, 22, 'PORT').count, 3);
  assert.equal(at(list, 20, 'REGION').unset, 1);
  assert.deepEqual(at(list, 12, null).keys.map((k) => k.key), ['PORT', 'REGION']);
  assert.equal(at(list, 28, 'DEBUG_LEVEL').reached, false, 'APP_DEBUG unset: the branch was not taken');
  const pw = at(list, 30, 'DB_PASSWORD').values[0];
  assert.equal(pw.redacted, true);
  assert.equal(pw.length, 12);
  assert.deepEqual(at(list, 32, null).keys, [{ key: 'FEATURE_1', count: 1 }]);

  const racy = record({}, 'go', 'run', './cmd/racy');
  const r = at(await observeFile([racy], 'cmd/racy/main.go'), 25, 'APP_STAGE');
  assert.equal(r.races.length, 1);
  assert.ok(r.races[0].others.some((o) => o.relFile === 'cmd/racy/main.go' && o.line === 15));

  const shown = await loadStore(join(store, '.envtrace'), 'all');
  assert.deepEqual(shown.runs.map((x) => x.source).sort(), [helper, racy].sort());
  const latest = await loadStore(join(store, '.envtrace'));
  assert.equal(latest.runs.length, 1);
});

test('live go test: t.Setenv and t.Parallel subtests attribute reads to their tests', async () => {
  const run = record({}, 'go', 'test', './cfg');
  const region = at(await observeFile([run], 'cfg/cfg.go'), 8, 'APP_REGION');
  assert.deepEqual(region.tests, ['TestGoroutine', 'TestParallel/a', 'TestParallel/b', 'TestRegion']);
  assert.deepEqual(region.values.find((v) => v.value === 'us-east-1')?.tests, ['TestRegion']);
});

test('live: envtrace diff between a run and the JSON report of another run', async () => {
  const a = record({ PORT: '1111' }, 'go', 'run', './cmd/helper');
  const b = record({ PORT: '2222', APP_DEBUG: 'on' }, 'go', 'run', './cmd/helper');
  const report = join(store, 'b.json');
  writeFileSync(report, execFileSync(process.execPath, [cli, 'report', '--format', 'json', b], { cwd: app, encoding: 'utf8' }));
  const out = execFileSync(process.execPath, [cli, 'diff', '--format', 'json', a, report], { cwd: app, encoding: 'utf8' });
  const d = JSON.parse(out) as RunDiff;
  const port = d.keys.find((k) => k.key === 'PORT')!;
  assert.equal(port.valuesChanged, true);
  assert.deepEqual([port.a!.values[0].value, port.b!.values[0].value], ['1111', '2222']);
  const level = d.keys.find((k) => k.key === 'DEBUG_LEVEL')!;
  assert.equal(level.readOnlyIn, 'b');
  assert.deepEqual(level.sitesOnlyInB, ['cmd/helper/main.go:28']);
  assert.equal(d.keys.find((k) => k.key === 'APP_DEBUG')?.unsetIn, 'a');
});
