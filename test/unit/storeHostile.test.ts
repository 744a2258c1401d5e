// The run store in a hostile clone: symlinks where envtrace writes, keys a clone could plant,
// and the key created by several envtrace processes at once. Real files in a temp dir.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { importInto } from '../../client/src/runImport';
import { UnsafeWriteError } from '../../server/src/files/writeSafe';
import { keyProblem } from '../../server/src/runs/key';
import { createRun, ensureStore, pruneRuns, workspaceKey, writeRunInfo } from '../../server/src/runs/store';

const tmp = mkdtempSync(join(tmpdir(), 'envtrace-hostile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const storeJs = join(__dirname, '..', '..', 'server', 'src', 'runs', 'store.js');

let n = 0;
/** A fresh workspace with an empty `.envtrace/`, and a directory outside it. */
function layout(): { store: string; outside: string } {
  const base = join(tmp, `w${n++}`);
  mkdirSync(join(base, 'ws', '.envtrace'), { recursive: true });
  mkdirSync(join(base, 'outside'));
  return { store: join(base, 'ws', '.envtrace'), outside: join(base, 'outside') };
}

const info = { label: null, command: ['go', 'run', '.'], cwd: tmp, start: '2026-12-03T08:00:00.000Z', end: null, exitCode: null, goVersion: null, goos: null, goarch: null, gitCommit: null, mode: 'run' as const };

test('a key symlinked to a file outside: refused, the target keeps its content and mode', async () => {
  const { store, outside } = layout();
  const target = join(outside, 'bashrc');
  writeFileSync(target, 'alias ls=ls\n', { mode: 0o644 });
  chmodSync(target, 0o644);
  symlinkSync(target, join(store, 'key'));
  await assert.rejects(workspaceKey(store), (e: Error) => e instanceof UnsafeWriteError && /key is a symlink; .*remove it/.test(e.message) && !e.message.includes('\n'));
  assert.equal(readFileSync(target, 'utf8'), 'alias ls=ls\n');
  assert.equal(statSync(target).mode & 0o777, 0o644);
});

test('a dangling .gitignore symlink: refused, its target is not created', async () => {
  const { store, outside } = layout();
  symlinkSync(join(outside, 'created-by-envtrace'), join(store, '.gitignore'));
  await assert.rejects(ensureStore(store), /\.gitignore is a symlink/);
  assert.deepEqual(readdirSync(outside), []);
});

test('.envtrace/runs symlinked to a directory outside: refused, nothing stored there', async () => {
  const { store, outside } = layout();
  symlinkSync(outside, join(store, 'runs'));
  await assert.rejects(createRun(store, info), /runs is a symlink/);
  assert.deepEqual(readdirSync(outside), []);
});

test('.envtrace itself a symlink: refused', async () => {
  const { store, outside } = layout();
  rmSync(store, { recursive: true });
  symlinkSync(outside, store);
  await assert.rejects(ensureStore(store), /\.envtrace is a symlink/);
  assert.deepEqual(readdirSync(outside), []);
});

test('a run.json replaced by a symlink is replaced, not written through', async () => {
  const { store, outside } = layout();
  const run = await createRun(store, info);
  const target = join(outside, 'victim');
  writeFileSync(target, 'keep\n');
  rmSync(join(run.dir, 'run.json'));
  symlinkSync(target, join(run.dir, 'run.json'));
  await writeRunInfo(run.dir, { ...run.info, end: '2026-12-03T08:00:01.000Z', exitCode: 0 });
  assert.equal(readFileSync(target, 'utf8'), 'keep\n');
  assert.ok(lstatSync(join(run.dir, 'run.json')).isFile());
  assert.equal(statSync(join(run.dir, 'run.json')).mode & 0o777, 0o600);
});

test('planted keys are refused with what to do: all zero, short, patterned, not hex, readable by others, not a file', async () => {
  const cases: [string, (file: string) => void, RegExp][] = [
    ['all zero', (f) => writeFileSync(f, '0'.repeat(64) + '\n', { mode: 0o600 }), /not random/],
    ['short', (f) => writeFileSync(f, 'a1b2c3d4e5f60718\n', { mode: 0o600 }), /too short \(16 hex digits, at least 32/],
    ['pattern', (f) => writeFileSync(f, '0123456789abcdef'.repeat(2) + '\n', { mode: 0o600 }), /repeated pattern/],
    ['not hex', (f) => writeFileSync(f, 'hunter2 hunter2 hunter2 hunter2 hunter2\n', { mode: 0o600 }), /not hex/],
    ['mode 0644', (f) => { writeFileSync(f, 'c6f1d0a9e2b84357a1f09d3e6b7c2854\n'); chmodSync(f, 0o644); }, /open to other users \(mode 644\): run chmod 600/],
    ['a directory', (f) => mkdirSync(f), /not a regular file/],
  ];
  // Only root can give a file to another user; elsewhere the case cannot be built.
  if (process.getuid?.() === 0) cases.push(['owned by another user', (f) => { writeFileSync(f, 'c6f1d0a9e2b84357a1f09d3e6b7c2854\n', { mode: 0o600 }); chownSync(f, 4321, 4321); }, /belongs to another user \(uid 4321\)/]);
  for (const [name, plant, message] of cases) {
    const { store } = layout();
    const file = join(store, 'key');
    plant(file);
    const before = lstatSync(file).isFile() ? readFileSync(file, 'utf8') : null;
    await assert.rejects(workspaceKey(store), (e: Error) => {
      assert.match(e.message, message, name);
      assert.match(e.message, /remove it|chmod 600/, name);
      assert.ok(!e.message.includes('\n'), name);
      return true;
    });
    if (before !== null) assert.equal(readFileSync(file, 'utf8'), before, `${name}: the key file is left as it was`);
  }
});

test('a good existing key (mode 0600, 32 random hex digits) is used as is', async () => {
  const { store } = layout();
  writeFileSync(join(store, 'key'), 'C6F1D0A9E2B84357A1F09D3E6B7C2854\n', { mode: 0o600 });
  assert.equal(await workspaceKey(store), 'c6f1d0a9e2b84357a1f09d3e6b7c2854');
});

test('keyProblem accepts random keys', () => {
  for (let i = 0; i < 200; i++) {
    const k = [...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16)).join('');
    assert.equal(keyProblem(k), null, k);
  }
});

test('five envtrace processes creating the key at once all get the same key', async () => {
  for (let round = 0; round < 3; round++) {
    const { store } = layout();
    const script = `require(${JSON.stringify(storeJs)}).workspaceKey(process.argv[1]).then((k) => process.stdout.write(k), (e) => { process.stderr.write(e.message); process.exit(1); })`;
    const keys = await Promise.all(
      [...Array(5)].map(
        () =>
          new Promise<string>((res, rej) => {
            const p = spawn(process.execPath, ['-e', script, store], { stdio: ['ignore', 'pipe', 'pipe'] });
            let out = '';
            let err = '';
            p.stdout.on('data', (d) => (out += d));
            p.stderr.on('data', (d) => (err += d));
            p.on('close', (code) => (code === 0 ? res(out) : rej(new Error(err))));
          }),
      ),
    );
    assert.equal(new Set(keys).size, 1, keys.join(' '));
    assert.equal(readFileSync(join(store, 'key'), 'utf8').trim(), keys[0]);
    assert.deepEqual(readdirSync(store).sort(), ['.gitignore', 'key', 'runs'], 'no temp file left behind');
  }
});

test('directories and files are 0700 and 0600; an existing 0755 store is narrowed', async () => {
  const { store } = layout();
  chmodSync(store, 0o755);
  const run = await createRun(store, info);
  await workspaceKey(store);
  for (const d of [store, join(store, 'runs'), run.dir]) assert.equal(statSync(d).mode & 0o777, 0o700, d);
  for (const f of [join(store, 'key'), join(store, '.gitignore'), join(run.dir, 'run.json')]) assert.equal(statSync(f).mode & 0o777, 0o600, f);
  assert.ok(existsSync(join(run.dir, 'run.json')));
});

test('importing a run directory copies only its regular files, never into a symlinked store', async () => {
  const { store, outside } = layout();
  const src = join(outside, '20261203-1');
  mkdirSync(src);
  writeFileSync(join(src, 'run.json'), JSON.stringify({ id: '20261203-1', command: [], start: '2026-12-03T08:00:00Z', end: '2026-12-03T08:00:01Z' }));
  writeFileSync(join(src, '1-1.jsonl'), '{"t":"P"}\n');
  symlinkSync('/dev/zero', join(src, '2-2.jsonl'));
  execFileSync('mkfifo', [join(src, '3-3.jsonl')]);
  const dir = await importInto(src, store);
  assert.deepEqual(readdirSync(dir).sort(), ['1-1.jsonl', 'run.json']);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'run.json')).mode & 0o777, 0o600);

  const other = layout();
  symlinkSync(other.outside, join(other.store, 'runs'));
  await assert.rejects(importInto(src, other.store), /runs is a symlink/);
  assert.deepEqual(readdirSync(other.outside), []);
});

test('pruning a run directory that is a symlink removes the link, never what it points to', async () => {
  const { store, outside } = layout();
  await ensureStore(store);
  writeFileSync(join(outside, 'run.json'), JSON.stringify({ id: 'old', command: [], start: '2020-01-01T00:00:00Z', end: '2020-01-01T00:00:01Z' }));
  writeFileSync(join(outside, 'precious'), 'x');
  symlinkSync(outside, join(store, 'runs', 'old'));
  assert.deepEqual(await pruneRuns(store, 0), ['old']);
  assert.deepEqual(readdirSync(outside).sort(), ['precious', 'run.json']);
  assert.deepEqual(readdirSync(join(store, 'runs')), []);
});
