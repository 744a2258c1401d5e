// `envtrace check --run latest` after a real traced run (real Go toolchain and overlay):
// the run's unset read of a required key, and of a key read with no default, is found and
// placed at its line under PATH; an unset key the code gives a default (PORT) is not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckResult } from '../../server/src/check/check';
import { envtrace, root } from './cliSupport';

test('check --run latest reports a required key a real run found unset, and is clean once it is set', async () => {
  const work = mkdtempSync(join(tmpdir(), 'envtrace-check-'));
  try {
    const app = join(work, 'follows');
    cpSync(join(root, 'test', 'fixtures', 'check', 'follows'), app, { recursive: true });
    // The helper runs the CLI with this process's environment: DATABASE_URL must not be in it.
    for (const k of ['DATABASE_URL', 'REGION', 'PORT']) assert.equal(process.env[k], undefined, `the test runs without ${k} set`);
    const env = {};
    const unset = await envtrace(['--quiet', '--', 'go', 'run', '.'], { cwd: app, env });
    assert.equal(unset.code, 0, unset.stderr);
    const bad = await envtrace(['check', '--run', 'latest', '--format', 'json'], { cwd: app, env });
    assert.equal(bad.code, 1, bad.stderr);
    const result = JSON.parse(bad.stdout) as CheckResult;
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.key, f.file, f.line]),
      [
        ['required-unset', 'DATABASE_URL', 'main.go', 12],
        ['required-unset', 'REGION', 'main.go', 12],
      ],
    );
    assert.match(result.findings[0].message, /^required DATABASE_URL was unset when read in run \S+ \(process \d+, /);
    assert.match(result.findings[1].message, /^REGION was unset when read by code with no default in run \S+ \(process \d+, /);

    const set = await envtrace(['--quiet', '--', 'go', 'run', '.'], { cwd: app, env: { ...env, DATABASE_URL: 'postgres://db/app', REGION: 'eu' } });
    assert.equal(set.code, 0, set.stderr);
    const good = await envtrace(['check', '--run', 'latest'], { cwd: app, env });
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.equal(good.stdout, '0 error(s), 0 warning(s), 0 note(s)\n');
    assert.doesNotMatch(bad.stdout + good.stdout, /postgres:\/\/db\/app/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('parallel-setenv flags exactly the tests that panic under go test', async () => {
  const dir = join(root, 'test', 'fixtures', 'check', 'parallel');
  const r = await envtrace(['check', '--format', 'json'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  const result = JSON.parse(r.stdout) as CheckResult;
  assert.deepEqual(
    result.findings.map((f) => [f.rule, f.key, f.line]),
    [
      ['parallel-setenv', 'TABLE_KEY', 10],
      ['parallel-setenv', 'RENAMED_KEY', 19],
      ['parallel-setenv', 'FIRST_KEY', 25],
    ],
  );
  const goTest = (name: string) => spawnSync('go', ['test', '-count=1', '-run', `^${name}$`, '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  for (const name of ['TestTable', 'TestRenamed', 'TestSetenvFirst']) assert.match(goTest(name).stdout, /^panic: testing: .*t\.Parallel/m, name);
  const fine = goTest('TestParentSetenv');
  assert.equal(fine.status, 0, fine.stdout + fine.stderr);
});
