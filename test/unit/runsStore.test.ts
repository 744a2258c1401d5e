import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createRun, listRuns, pruneRuns, resolveRun, RunStoreError, storeRoot, workspaceKey } from '../../server/src/runs/store';

const tmp = mkdtempSync(join(tmpdir(), 'envtrace-store-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const info = (start: string, label: string | null = null) => ({
  label, command: ['go', 'run', '.'], cwd: tmp, start, end: start, exitCode: null, goVersion: 'go1.26.8',
  goos: 'linux', goarch: 'amd64', gitCommit: null, mode: 'run' as const,
});

test('storeRoot: <dir>/.envtrace, or the directory itself when it is a .envtrace', () => {
  assert.equal(storeRoot('/a/b'), '/a/b/.envtrace');
  assert.equal(storeRoot('/a/b/.envtrace'), '/a/b/.envtrace');
});

test('the workspace key is created once, 32 hex digits, mode 0600; .gitignore ignores everything', async () => {
  const root = join(tmp, 'k', '.envtrace');
  const key = await workspaceKey(root);
  assert.match(key, /^[0-9a-f]{32}$/);
  assert.equal(statSync(join(root, 'key')).mode & 0o777, 0o600);
  assert.equal(await workspaceKey(root), key);
  assert.equal(readFileSync(join(root, '.gitignore'), 'utf8'), '*\n');
});

test('runs are listed newest first, pruned to the newest N, resolved by id, path or default', async () => {
  const root = join(tmp, 'p', '.envtrace');
  const a = await createRun(root, info('2026-11-26T10:00:00.000Z', 'a'));
  const b = await createRun(root, info('2026-11-26T11:00:00.000Z', 'b'));
  const c = await createRun(root, info('2026-11-26T12:00:00.000Z', 'c'));
  assert.match(a.info.id, /^20261126-100000-[0-9a-f]{6}$/);
  assert.deepEqual((await listRuns(root)).map((r) => r.info.label), ['c', 'b', 'a']);
  assert.equal((await resolveRun(root, undefined, tmp)).info.id, c.info.id);
  assert.equal((await resolveRun(root, b.info.id, tmp)).dir, b.dir);
  assert.equal((await resolveRun(root, a.dir, '/')).info.label, 'a');
  assert.deepEqual(await pruneRuns(root, 2), [a.info.id]);
  assert.deepEqual((await listRuns(root)).map((r) => r.info.label), ['c', 'b']);
  // A run another envtrace is still running (no end yet) is spared.
  await createRun(root, { ...info('2026-11-26T09:00:00.000Z', 'running'), end: null });
  assert.deepEqual(await pruneRuns(root, 1, Date.parse('2026-11-26T13:00:00.000Z')), [b.info.id]);
  assert.deepEqual((await listRuns(root)).map((r) => r.info.label), ['c', 'running']);
});

test('missing runs and corrupt run.json are RunStoreErrors with one-line messages', async () => {
  const root = join(tmp, 'e', '.envtrace');
  await assert.rejects(resolveRun(root, undefined, tmp), (e: Error) => e instanceof RunStoreError && /no runs stored/.test(e.message));
  await assert.rejects(resolveRun(root, 'nope', tmp), (e: Error) => e instanceof RunStoreError && /no run "nope"/.test(e.message));
  const bad = join(tmp, 'bad');
  mkdirSync(bad);
  writeFileSync(join(bad, 'run.json'), '{"id": 3}');
  await assert.rejects(resolveRun(root, bad, tmp), (e: Error) => e instanceof RunStoreError && e.message === `${join(bad, 'run.json')} is corrupt (no id or command)`);
  const empty = join(tmp, 'empty');
  mkdirSync(empty);
  await assert.rejects(resolveRun(root, empty, tmp), /not a run directory/);
  // A directory of process files without run.json (copied from CI) is a run.
  writeFileSync(join(empty, '1-2.jsonl'), '');
  assert.equal((await resolveRun(root, empty, tmp)).info.id, 'empty');
});
