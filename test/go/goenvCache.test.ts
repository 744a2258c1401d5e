// The `go env` cache (issue 17): a go binary that changes is asked again, a corrupt cache file is ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { prepareOverlay } from '../../server/src/tracer/overlay';
import { fixture } from './recorderSupport';

const realGoroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
const realGo = join(realGoroot, 'bin', 'go');

/** A `go` on PATH that logs each start and runs the real go, with `prefix` before it. */
function writeWrapper(bin: string, log: string, prefix: string, mtime: number): void {
  const go = join(bin, 'go');
  writeFileSync(go, `#!/bin/sh\necho "$*" >> '${log}'\n${prefix}exec '${realGo}' "$@"\n`);
  chmodSync(go, 0o755);
  utimesSync(go, mtime, mtime);
}

/** A temp dir with a logging `go` wrapper first on PATH, and a cache dir for prepareOverlay. */
function setup(): { bin: string; log: string; cacheDir: string; env: NodeJS.ProcessEnv; cwd: string } {
  const base = mkdtempSync(join(tmpdir(), 'envtrace-goenv-'));
  const bin = join(base, 'bin');
  mkdirSync(bin);
  const log = join(base, 'go.log');
  writeFileSync(log, '');
  writeWrapper(bin, log, '', 1_700_000_000);
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, GOFLAGS: '' };
  return { bin, log, cacheDir: join(base, 'cache'), env, cwd: fixture('hello') };
}

const starts = (log: string) => readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('env ')).length;

test('go env is asked once per go binary; a changed binary is asked again and its answer used', async () => {
  const { bin, log, cacheDir, env, cwd } = setup();
  const a = await prepareOverlay({ cwd, cacheDir, env });
  const b = await prepareOverlay({ cwd, cacheDir, env });
  assert.equal(starts(log), 1, 'the second run reuses the cached answer');
  assert.equal(a.go, join(bin, 'go'));
  assert.deepEqual(b, { ...a, fresh: false });
  assert.equal(readdirSync(join(cacheDir, 'goenv')).length, 1);

  // The same path, new content and mtime (an upgrade in place): asked again, and the new answer counts.
  writeWrapper(bin, log, 'GOFLAGS=-tags=envtracecache ', 1_700_000_100);
  const c = await prepareOverlay({ cwd, cacheDir, env });
  assert.equal(starts(log), 2);
  assert.equal(c.goflags, '-tags=envtracecache');
  await prepareOverlay({ cwd, cacheDir, env });
  assert.equal(starts(log), 2);

  // Another environment (GOFLAGS set by the user) is another key.
  const d = await prepareOverlay({ cwd, cacheDir, env: { ...env, GOFLAGS: '-mod=mod' } });
  assert.equal(starts(log), 3);
  assert.equal(d.goflags, '-tags=envtracecache', 'the wrapper overrides GOFLAGS');
});

test('a corrupt or foreign go env cache file is ignored and replaced', async () => {
  const { log, cacheDir, env, cwd } = setup();
  const a = await prepareOverlay({ cwd, cacheDir, env });
  const [file] = readdirSync(join(cacheDir, 'goenv'));
  const path = join(cacheDir, 'goenv', file);
  const good = readFileSync(path, 'utf8');

  for (const bad of ['{"key": tru', '', 'null', JSON.stringify({ ...JSON.parse(good), answer: { goroot: 7 } }), JSON.stringify({ ...JSON.parse(good), key: 'another' })]) {
    writeFileSync(path, bad);
    const before = starts(log);
    const r = await prepareOverlay({ cwd, cacheDir, env });
    assert.equal(starts(log), before + 1, `asked again over ${JSON.stringify(bad.slice(0, 20))}`);
    assert.equal(r.goroot, a.goroot);
    assert.equal(r.goVersion, a.goVersion);
    assert.equal(readFileSync(path, 'utf8'), good, 'the file is replaced with a valid answer');
  }
});
