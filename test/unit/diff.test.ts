import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { diffRuns, type KeyDiff, type RunDiff } from '../../server/src/analysis/diff';
import { loadObservations } from '../../server/src/analysis/loadObservations';
import { renderDiffText } from '../../server/src/analysis/diffText';
import { main } from '../../server/src/cli/main';
import type { Io } from '../../server/src/cli/io';
import { appRoot, appSites, fixtureRun, loadFixtures } from './mergeSupport';

const tmp = mkdtempSync(join(tmpdir(), 'envtrace-diff-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const byKey = (d: RunDiff) => new Map<string, KeyDiff>(d.keys.map((k) => [k.key, k]));

test('diff per key: values changed, read or unset in one run only, sites reached in one only', async () => {
  const d = diffRuns(await loadFixtures('helper'), await loadFixtures('helper-b'), { root: appRoot, sites: await appSites() });
  const k = byKey(d);
  assert.deepEqual([...k.keys()], ['APP_DEBUG', 'DEBUG_LEVEL', 'FEATURE_1', 'FEATURE_2', 'PORT', 'REGION']);
  const port = k.get('PORT')!;
  assert.equal(port.valuesChanged, true);
  assert.deepEqual(port.a!.values, [{ value: '9090', redacted: false, count: 4 }]);
  assert.deepEqual(port.b!.values, [{ value: '7070', redacted: false, count: 4 }]);
  assert.deepEqual(port.sitesOnlyInA, []);
  assert.equal(k.get('REGION')!.unsetIn, 'a');
  assert.equal(k.get('APP_DEBUG')!.unsetIn, 'b');
  assert.equal(k.get('DEBUG_LEVEL')!.readOnlyIn, 'a');
  assert.deepEqual(k.get('DEBUG_LEVEL')!.sitesOnlyInA, ['cmd/helper/main.go:28']);
  assert.equal(k.get('FEATURE_2')!.readOnlyIn, 'b');
  assert.deepEqual(k.get('FEATURE_2')!.sitesOnlyInB, ['cmd/helper/main.go:32']);
  assert.equal(k.has('DB_PASSWORD'), false, 'the same secret has the same hash in both runs');
  assert.equal(d.unchanged, 6);
  assert.equal(d.a.label, 'helper');
  assert.doesNotMatch(JSON.stringify(d), /hunter2/);
});

test('redacted values compare by hash; a report and its run do not differ', async () => {
  const other = join(tmp, 'other-secret.json');
  const text = readFileSync(fixtureRun('helper.json'), 'utf8');
  const hash = /"hash": ?"([0-9a-f]+)"/.exec(text)![1];
  writeFileSync(other, text.split(hash).join('0123456789abcdef'));
  const d = diffRuns(await loadFixtures('helper'), await loadObservations([other]));
  assert.deepEqual(d.keys.map((k) => k.key), ['DB_PASSWORD']);
  const pw = d.keys[0];
  assert.equal(pw.valuesChanged, true);
  assert.equal(pw.b!.values[0].hash, '0123456789abcdef');
  assert.equal(pw.b!.values[0].value, undefined);
  assert.match(renderDiffText(d), /~ DB_PASSWORD {2}values changed: ••• \(14 chars, hash [0-9a-f]{8}\) \(×1\) → ••• \(14 chars, hash 01234567\) \(×1\)/);

  const same = diffRuns(await loadFixtures('helper.json'), await loadFixtures('helper'));
  assert.deepEqual(same.keys, []);
  assert.match(renderDiffText(same), /no differences \(11 keys compared\)/);
});

test('without sites, places are the first frames outside the standard library, relative to the run', async () => {
  const d = diffRuns(await loadFixtures('helper'), await loadFixtures('helper-b'));
  const k = byKey(d);
  assert.deepEqual(k.get('DEBUG_LEVEL')!.sitesOnlyInA, ['cmd/helper/main.go:28']);
  assert.deepEqual(k.get('PORT')!.a!.sites, ['cmd/helper/main.go:12']);
});

test('keys of Windows runs compare case-insensitively', async () => {
  const run = (name: string, key: string, value: string) => {
    const dir = join(tmp, name);
    mkdirSync(dir);
    const lines = [
      { t: 'P', v: 1, pid: 7, ppid: 1, parent: 0, run: name, argv: ['C:\\app\\a.exe'], cwd: 'C:\\app', go: 'go1.26.8', os: 'windows', arch: 'amd64', wall: 1, mono: 1, depth: 16, env: [] },
      { t: 'S', id: 1, f: [['os.Getenv', 'C:/Go/src/os/env.go', 103], ['main.main', 'C:\\app\\main.go', 5]] },
      { t: 'E', seq: 1, g: 1, pg: 0, op: 'getenv', k: key, ok: true, v: value, t0: 2, t1: 3, s: 1 },
    ];
    writeFileSync(join(dir, '7-1.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    return dir;
  };
  const d = diffRuns(await loadObservations([run('w1', 'Path', 'C:\\bin')]), await loadObservations([run('w2', 'PATH', 'C:\\bin;D:\\bin')]));
  assert.deepEqual(d.keys.map((k) => [k.key, k.valuesChanged, k.readOnlyIn]), [['PATH', true, null]]);
  assert.deepEqual(d.keys[0].a!.sites, ['main.go:5']);
});

function capture(cwd: string): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', cwd, env: process.env, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

test('envtrace diff: text and JSON output, one-line errors with exit 2', async () => {
  const io = capture(appRoot);
  assert.equal(await main(['diff', '--format', 'json', fixtureRun('helper'), fixtureRun('helper-b.json')], io), 0);
  const d = JSON.parse(io.stdout) as RunDiff;
  assert.equal(d.version, 1);
  assert.deepEqual(Object.keys(d.keys[0]), ['key', 'a', 'b', 'valuesChanged', 'readOnlyIn', 'unsetIn', 'sitesOnlyInA', 'sitesOnlyInB']);
  assert.deepEqual(byKey(d).get('FEATURE_1')!.sitesOnlyInA, ['cmd/helper/main.go:32']);

  const text = capture(appRoot);
  assert.equal(await main(['diff', fixtureRun('helper'), fixtureRun('helper-b')], text), 0);
  assert.match(text.stdout, /^~ PORT +values changed: "9090" \(×4\) → "7070" \(×4\)$/m);
  assert.match(text.stdout, /^! REGION +unset in A, set in B: "us-east-2" \(×1\)$/m);
  assert.match(text.stdout, /^- DEBUG_LEVEL +read only in A \(×1\): unset$/m);
  assert.match(text.stdout, /reached only in A: cmd\/helper\/main.go:28/);

  const store = join(tmp, 'store');
  for (const name of ['helper', 'helper-b']) cpSync(fixtureRun(name), join(store, '.envtrace', 'runs', `id-${name}`), { recursive: true });
  const ids = capture(appRoot);
  assert.equal(await main(['diff', '--dir', store, 'id-helper', 'id-helper-b'], ids), 0, ids.stderr);
  assert.match(ids.stdout, /^A: 20261126-232701-6ff92a \(helper\) · exit \d+$/m);

  for (const [args, message] of [
    [['diff', fixtureRun('helper')], /diff takes two runs/],
    [['diff', '--format', 'xml', 'a', 'b'], /--format is text or json/],
    [['diff', 'no-such-run', fixtureRun('helper')], /no run "no-such-run"/],
    [['diff', join(tmp), fixtureRun('helper')], /not a run directory/],
    [['diff', __filename, fixtureRun('helper')], /not valid JSON|not an envtrace report/],
  ] as [string[], RegExp][]) {
    const e = capture(appRoot);
    assert.equal(await main(args, e), 2, args.join(' '));
    assert.match(e.stderr, message);
    assert.equal(e.stderr.trim().split('\n').length, 1, 'one line');
  }
});

test('diff per key: the race analysis\'s verdict rides along on the side that raced', async () => {
  const runs = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'runs');
  const d = diffRuns(await loadObservations([join(runs, 'basic')]), await loadObservations([join(runs, 'races')]));
  const k = byKey(d);
  assert.equal(k.get('A_DEFINITE')?.b?.race, 'definite');
  assert.equal(k.get('A_DEFINITE')?.a, null);
  assert.ok(d.keys.every((x) => x.a?.race === undefined), 'basic has no races');
});
