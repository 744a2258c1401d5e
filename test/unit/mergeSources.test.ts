import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { chooseRuns, loadObservations, parseRunsShown } from '../../server/src/analysis/loadObservations';
import { runProblems } from '../../server/src/analysis/merge';
import { scanTree } from '../../server/src/scan/index';
import { appRoot, at, fixtureRun, loadFixtures, mergeFixtures, observe } from './mergeSupport';

const HELPER = 'cmd/helper/main.go';
const tmp = mkdtempSync(join(tmpdir(), 'envtrace-merge-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of a recorded run whose process files are rewritten by `edit`. */
function copyRun(name: string, edit: (text: string) => string): string {
  const dir = join(tmp, `${name}-${readdirSync(tmp).length}`);
  cpSync(fixtureRun(name), dir, { recursive: true });
  for (const f of readdirSync(dir)) writeFileSync(join(dir, f), edit(readFileSync(join(dir, f), 'utf8')));
  return dir;
}

const summary = (list: Awaited<ReturnType<typeof observe>>) =>
  list.map((o) => ({ line: o.site.line, count: o.count, unset: o.unset, keys: o.keys, values: o.values, tests: o.tests, callers: o.callers.map((c) => [c.count, c.frames.map((f) => `${f.relFile ?? f.file}:${f.line}`)]) }));

test('an imported JSON report feeds the same consumer and gives the same site observations as its run', async () => {
  const fromDir = await observe(await loadFixtures('helper'), HELPER);
  const report = await loadFixtures('helper.json');
  assert.equal(report.runs[0].kind, 'report');
  assert.equal(report.runs[0].id, '20261126-232701-6ff92a');
  assert.deepEqual(summary(await observe(report, HELPER)), summary(fromDir));
  const racy = await observe(await loadFixtures('racy.json'), 'cmd/racy/main.go');
  assert.equal(at(racy, 25, 'APP_STAGE').races[0].role, 'reader', 'races come from the report');
  const tests = await observe(await loadFixtures('gotest.json'), 'cfg/cfg.go');
  assert.equal(at(tests, 8, 'APP_REGION').tests.length, 4);
});

test('runs recorded elsewhere (CI paths) map onto the workspace by module and path suffix', async () => {
  const foreign = copyRun('helper', (t) => t.split(appRoot).join('/home/runner/work/app/app'));
  const list = await observe(await loadObservations([foreign]), HELPER);
  assert.deepEqual(at(list, 19, 'PORT').values.map((v) => v.value), ['9090']);
  assert.deepEqual(at(list, 12, null).keys.map((k) => k.key), ['PORT', 'REGION']);
  const trim = copyRun('trimpath', (t) => t.split(appRoot).join('/elsewhere'));
  assert.deepEqual(at(await observe(await loadObservations([trim]), HELPER), 19, 'PORT').values.map((v) => v.value), ['1234']);
});

test('a folder opened below its go.mod still maps module packages and test functions', async () => {
  const foreign = copyRun('gotest', (t) => t.split(appRoot).join('/ci/app'));
  const sub = join(appRoot, 'cfg');
  const sites = (await scanTree(sub)).sites;
  const list = await observe(await loadObservations([foreign]), 'cfg.go', sub, sites);
  assert.equal(at(list, 8, 'APP_REGION').tests.length, 4);
  const setenv = await observe(await loadObservations([foreign]), 'cfg_test.go', sub, sites);
  assert.deepEqual(at(setenv, 9, 'APP_REGION').values.map((v) => v.value), ['us-east-1']);
});

test('shown runs: latest, all, or the N newest, combined', async () => {
  const newestFirst = ['c', 'b', 'a'];
  assert.deepEqual(chooseRuns(newestFirst, 'latest'), ['c']);
  assert.deepEqual(chooseRuns(newestFirst, 'all'), ['c', 'b', 'a']);
  assert.deepEqual(chooseRuns(newestFirst, 2), ['c', 'b']);
  assert.equal(parseRunsShown('3'), 3);
  assert.equal(parseRunsShown('all'), 'all');
  assert.equal(parseRunsShown('bogus'), 'latest');
  assert.equal(parseRunsShown(0), 'latest');

  const both = await observe(await loadFixtures('helper', 'helper-b'), HELPER);
  const port = at(both, 19, 'PORT');
  assert.deepEqual(port.values.map((v) => v.value).sort(), ['7070', '9090']);
  assert.equal(port.runs.length, 2);
  assert.equal(port.processCount, 2);
  assert.equal(at(both, 28, 'DEBUG_LEVEL').runs.length, 1);
});

test('on Windows runs keys compare case-insensitively', async () => {
  const dir = join(tmp, 'windows');
  mkdirSync(dir);
  const lines = (os: string) =>
    [
      { t: 'P', v: 1, pid: 7, ppid: 1, parent: 0, run: 'w', argv: ['C:\\app\\helper.exe'], cwd: 'C:\\app', go: 'go1.26.8', os, arch: 'amd64', wall: 1, mono: 1, depth: 16, env: [] },
      { t: 'S', id: 1, f: [['os.Getenv', 'C:/Go/src/os/env.go', 103], ['main.main', 'C:\\app\\cmd\\helper\\main.go', 28]] },
      { t: 'E', seq: 1, g: 1, pg: 0, op: 'getenv', k: 'Debug_Level', ok: true, v: 'trace', t0: 2, t1: 3, s: 1 },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n') + '\n';
  writeFileSync(join(dir, '7-1.jsonl'), lines('windows'));
  const win = await observe(await loadObservations([dir]), HELPER);
  assert.deepEqual(at(win, 28, 'DEBUG_LEVEL').values.map((v) => [v.key, v.value]), [['Debug_Level', 'trace']]);
  writeFileSync(join(dir, '7-1.jsonl'), lines('linux'));
  const lin = await observe(await loadObservations([dir]), HELPER);
  assert.equal(at(lin, 28, 'DEBUG_LEVEL').reached, false, 'on Linux Debug_Level is another variable');
});

test('a corrupt run: bad lines and unknown versions are skipped and counted, the rest still shows', async () => {
  const dir = copyRun('helper', (t) => {
    const lines = t.split('\n');
    if (!lines[0].includes('"t":"P"')) return t;
    lines.splice(8, 0, '{"t":"E","seq":', 'not json at all');
    return lines.join('\n') + '{"t":"E","seq":99,"g":1';
  });
  writeFileSync(join(dir, '999-1.jsonl'), '{"t":"P","v":99,"pid":999}\n{"t":"E"}\n');
  const obs = await loadObservations([dir, join(mergeFixtures, 'nope')]);
  const p = runProblems(obs);
  assert.equal(p.badLines, 3);
  assert.equal(p.unreadableFiles, 2, 'the v99 file and the missing run');
  assert.equal(p.messages.length, 2);
  assert.match(p.messages[1], /does not exist/);
  const list = await observe(obs, HELPER);
  assert.deepEqual(at(list, 19, 'PORT').values.map((v) => v.value), ['9090']);
  assert.equal(at(list, 32, null).values[0].value, 'on', 'events after the bad lines are kept');

  const report = join(tmp, 'cut.json');
  const text = readFileSync(fixtureRun('helper.json'), 'utf8');
  writeFileSync(report, text.slice(0, Math.floor(text.length * 0.6)));
  const cut = await loadObservations([report]);
  assert.match(runProblems(cut).messages[0], /ends early/);
  assert.ok(cut.runs[0].events > 0, 'the events before the cut are kept');
  writeFileSync(report, text.replace('"version": 1', '"version": 7'));
  assert.match(runProblems(await loadObservations([report])).messages[0], /unknown report version 7/);
});
