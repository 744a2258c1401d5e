import assert from 'node:assert/strict';
import { test } from 'node:test';
import { libraryCallsForFile, mergeContext, observationsForFile } from '../../server/src/analysis/merge';
import type { Site } from '../../server/src/scan/types';
import { appRoot, appSites, at, loadFixtures, observe } from './mergeSupport';

const HELPER = 'cmd/helper/main.go';

test('a helper call site shows the value its key was read with; the helper inner site collects keys', async () => {
  const obs = await loadFixtures('helper');
  const list = await observe(obs, HELPER);
  const port = at(list, 19, 'PORT');
  assert.equal(port.site.api, 'main.getenv');
  assert.equal(port.reached, true);
  assert.deepEqual(
    port.values.map((v) => [v.value, v.count, v.unset]),
    [['9090', 1, false]],
  );
  assert.equal(at(list, 22, 'PORT').count, 3, 'the call inside the loop ran three times');
  assert.equal(port.processCount, 1);
  assert.equal(port.goroutines, 1);
  assert.deepEqual(port.runs, ['20261126-232701-6ff92a']);

  const inner = at(list, 12, null);
  assert.equal(inner.site.api, 'os.LookupEnv');
  assert.deepEqual(inner.keys, [
    { key: 'PORT', count: 4 },
    { key: 'REGION', count: 1 },
  ]);
  assert.deepEqual(
    inner.values.map((v) => [v.key, v.value ?? null, v.count, v.unset]),
    [
      ['PORT', '9090', 4, false],
      ['REGION', null, 1, true],
    ],
  );
});

test('an unset read with a default counts as unset at the call site', async () => {
  const list = await observe(await loadFixtures('helper'), HELPER);
  const region = at(list, 20, 'REGION');
  assert.equal(region.site.default, 'eu-west-1');
  assert.equal(region.unset, 1);
  assert.deepEqual(region.values.map((v) => v.unset), [true]);
});

test('a multi-line call, a branch taken, a dynamic key and the callers of a site', async () => {
  const list = await observe(await loadFixtures('helper'), HELPER);
  const debug = at(list, 24, 'APP_DEBUG');
  assert.equal(debug.site.endLine, 26);
  assert.equal(debug.values[0].value, '1');
  assert.equal(at(list, 28, 'DEBUG_LEVEL').unset, 1);
  const dynamic = at(list, 32, null);
  assert.deepEqual(dynamic.keys, [{ key: 'FEATURE_1', count: 1 }]);
  assert.equal(dynamic.values[0].value, 'on');

  const callers = at(list, 19, 'PORT').callers;
  assert.equal(callers.length, 1);
  const ws = callers[0].frames.filter((f) => f.kind === 'workspace');
  assert.deepEqual(
    ws.map((f) => [f.function, f.relFile, f.line]),
    [
      ['main.getenv', HELPER, 12],
      ['main.main', HELPER, 19],
    ],
  );
  assert.equal(ws[0].file, `${appRoot}/${HELPER}`);
  assert.equal(callers[0].frames[0].kind, 'std');
});

test('a redacted value is kept as hash and length only', async () => {
  const list = await observe(await loadFixtures('helper'), HELPER);
  const pw = at(list, 30, 'DB_PASSWORD');
  assert.equal(pw.values.length, 1);
  const v = pw.values[0];
  assert.equal(v.redacted, true);
  assert.equal(v.length, 14);
  assert.match(v.hash ?? '', /^[0-9a-f]{16}$/);
  assert.equal(v.value, undefined);
  assert.doesNotMatch(JSON.stringify(list, (_k, x) => (x instanceof Set ? [...x] : x)), /hunter2/);
});

test('a race shows on the reading and the writing site with the other side, not on the ordered write', async () => {
  const list = await observe(await loadFixtures('racy'), 'cmd/racy/main.go');
  const read = at(list, 25, 'APP_STAGE');
  assert.equal(read.races.length, 1);
  const r = read.races[0];
  assert.equal(r.role, 'reader');
  assert.ok(['possible', 'likely', 'definite'].includes(r.level));
  assert.ok(r.others.some((o) => o.relFile === 'cmd/racy/main.go' && o.line === 15 && o.op === 'setenv'), JSON.stringify(r.others));
  // The sentence names files relative to the workspace, not as the recording machine had them.
  assert.match(r.detail, /writes APP_STAGE at cmd\/racy\/main\.go:15 \(os\.Setenv\)/);
  assert.doesNotMatch(r.detail, / at \//, r.detail);
  const write = at(list, 15, 'APP_STAGE');
  assert.equal(write.races[0]?.role, 'writer');
  assert.ok(write.races[0].others.some((o) => o.line === 25));
  assert.equal(write.count, 200);
  assert.equal(write.values.length, 50 + 1, 'values beyond the per-stack limit are lumped into one');
  assert.ok(write.values.some((v) => v.other));
  const init = at(list, 10, 'APP_STAGE');
  assert.equal(init.reached, true);
  assert.deepEqual(init.races, [], 'a write before the writer goroutine started is ordered');
});

test('go test: each read is attributed to the test whose goroutine (or an ancestor) made it', async () => {
  const obs = await loadFixtures('gotest');
  const region = at(await observe(obs, 'cfg/cfg.go'), 8, 'APP_REGION');
  assert.deepEqual(region.tests, ['TestGoroutine', 'TestParallel/a', 'TestParallel/b', 'TestRegion']);
  const set = region.values.find((v) => v.value === 'us-east-1')!;
  assert.deepEqual(set.tests, ['TestRegion']);
  const unset = region.values.find((v) => v.unset)!;
  assert.deepEqual(unset.tests, ['TestGoroutine', 'TestParallel/a', 'TestParallel/b']);
  assert.equal(unset.goroutines, 3);
  const setenv = at(await observe(obs, 'cfg/cfg_test.go'), 9, 'APP_REGION');
  assert.equal(setenv.site.kind, 'write');
  assert.deepEqual(
    setenv.values.map((v) => [v.op, v.value, v.tests]),
    [['setenv', 'us-east-1', ['TestRegion']]],
  );
});

test('reads inside a library land on the struct-field site of their key and on the calling line', async () => {
  const obs = await loadFixtures('lib');
  const field = (api: string): Site => ({ file: 'cmd/lib/main.go', line: 11, column: 2, endLine: 11, endColumn: 30, kind: 'read', key: 'APP_HOST', pattern: null, api, default: null, function: null, test: false });
  const ctx = mergeContext(obs, appRoot, { files: (await appSites()).map((s) => s.file) });
  const [tagged, other] = observationsForFile(ctx, [field('envlib tag'), field('viper.BindEnv')]);
  assert.deepEqual(
    tagged.values.map((v) => [v.value, v.count]),
    [['db.local', 1]],
  );
  assert.equal(tagged.callers[0].frames.find((f) => f.kind === 'library')?.function, 'example.com/envlib.Parse');
  assert.equal(other.reached, false, 'a site for another library does not take the read');
  assert.deepEqual(libraryCallsForFile(ctx, 'cmd/lib/main.go'), [{ line: 16, keys: [{ key: 'APP_HOST', count: 1 }] }]);
});

test('a library that takes the whole environment (os.Environ) gives its field sites the starting values', async () => {
  const obs = await loadFixtures('libenv');
  const field = (line: number, key: string): Site => ({ file: 'cmd/libenv/main.go', line, column: 2, endLine: line, endColumn: 30, kind: 'read', key, pattern: null, api: 'envlib tag', default: null, function: null, test: false });
  const ctx = mergeContext(obs, appRoot, { files: (await appSites()).map((s) => s.file) });
  const [host, token, mode] = observationsForFile(ctx, [field(11, 'APP_HOST'), field(12, 'APP_TOKEN'), field(13, 'APP_MODE')]);
  assert.deepEqual(host.values.map((v) => [v.value, v.count]), [['db.environ', 1]]);
  assert.equal(host.callers[0].frames.find((f) => f.kind === 'library')?.function, 'example.com/envlib.ParseEnviron');
  assert.deepEqual(token.values.map((v) => [v.redacted, v.length, v.value]), [[true, 14, undefined]]);
  assert.equal(mode.unset, 1, 'a key absent from the environment was read as unset');
  assert.deepEqual(libraryCallsForFile(ctx, 'cmd/libenv/main.go'), [{ line: 18, keys: [] }]);
});

test('every kind of site gets its own op: ExpandEnv variables, write, unset, environ, syscall, pattern, clear', async () => {
  const list = await observe(await loadFixtures('ops'), 'cmd/ops/main.go');
  const facts = list.map((o) => [o.site.line, o.site.kind, o.site.key ?? o.site.pattern, o.count, o.values.map((v) => (v.unset ? 'unset' : (v.value ?? (v.redacted ? '•••' : '-'))))]);
  assert.deepEqual(facts, [
    [11, 'read', 'HOST', 1, ['example.org']],
    [11, 'read', 'PORT', 1, ['443']],
    [12, 'write', 'STAGE', 1, ['ops']],
    [13, 'unset', 'STAGE', 1, ['-']],
    [14, 'environ', null, 1, ['-']],
    [15, 'read', 'OPS_LEVEL', 1, ['unset']],
    [17, 'read', 'FEATURE_*', 2, ['on', 'unset']],
    [19, 'clear', null, 1, ['-']],
  ]);
  assert.deepEqual(at(list, 17, null).keys, [
    { key: 'FEATURE_a', count: 1 },
    { key: 'FEATURE_b', count: 1 },
  ]);
});

test('a child process: each process with its argv and its own value at the same site', async () => {
  const list = await observe(await loadFixtures('child'), 'cmd/child/main.go');
  const port = at(list, 11, 'PORT');
  assert.equal(port.processCount, 2);
  assert.deepEqual(port.values.map((v) => [v.value, v.processes]).sort(), [['8181', 1], ['9191', 1]]);
  assert.deepEqual(port.processes.map((p) => p.argv.slice(1)), [[], ['--child']]);
  assert.equal(port.goroutines, 2, 'goroutine 1 of each process counts once');
  const role = at(list, 12, 'CHILD_ROLE');
  assert.deepEqual(role.values.map((v) => (v.unset ? 'unset' : v.value)).sort(), ['unset', 'worker']);
});

test('-trimpath runs map back through the module path', async () => {
  const list = await observe(await loadFixtures('trimpath'), HELPER);
  assert.deepEqual(
    at(list, 19, 'PORT').values.map((v) => v.value),
    ['1234'],
  );
  assert.equal(at(list, 12, null).keys.length, 2);
});

test('a site not reached in the shown run says so', async () => {
  const list = await observe(await loadFixtures('helper-b'), HELPER);
  const level = at(list, 28, 'DEBUG_LEVEL');
  assert.equal(level.reached, false);
  assert.equal(level.count, 0);
  assert.deepEqual(level.values, []);
});
