// `envtrace check --run latest` after a real traced run (real Go toolchain and overlay):
// the run's unset read of a required key, and of a key read with no default, is found and
// placed at its line under PATH; an unset key the code gives a default (PORT) is not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

test('secret-hygiene: the recorder measures a secret value in the process and check applies secretPolicy', async () => {
  const work = mkdtempSync(join(tmpdir(), 'envtrace-check-'));
  try {
    const app = join(work, 'secrets');
    cpSync(join(root, 'test', 'fixtures', 'check', 'secrets'), app, { recursive: true });
    const strong = 'Zq8-vR2xLw5Kp9sT3nB7yH4m';
    const policy = async (password: string, signing = strong) => {
      const run = await envtrace(['--quiet', '--', 'go', 'run', '.'], { cwd: app, env: { API_TOKEN: strong, DB_PASSWORD: password, SIGNING: signing } });
      assert.equal(run.code, 0, run.stderr);
      const r = await envtrace(['check', '--run', 'latest', '--format', 'json'], { cwd: app });
      const result = JSON.parse(r.stdout) as CheckResult;
      assert.doesNotMatch(r.stdout + r.stderr, new RegExp(`${password}|${signing}|${strong}`));
      return result.findings.filter((f) => f.rule === 'secret-hygiene' && f.message.includes(' in run ')).map((f) => [f.key, f.file, f.line, f.message.replace(/ in run .*\) is /, ' is ')]);
    };
    assert.deepEqual(await policy('pw1'), [['DB_PASSWORD', 'main.go', 15, "secret DB_PASSWORD's value is 3 bytes long, under the policy's 16, about 4 bits of entropy, under the policy's 48"]]);
    assert.deepEqual(await policy('a'.repeat(24)), [['DB_PASSWORD', 'main.go', 15, "secret DB_PASSWORD's value is about 0 bits of entropy, under the policy's 48"]]);
    assert.deepEqual(await policy(strong.split('').reverse().join('')), []);
    // SIGNING does not look secret, but envtrace.json declares it so: `envtrace run` has the
    // recorder redact and measure it too.
    assert.deepEqual(await policy(strong.split('').reverse().join(''), 'qwe1'), [['SIGNING', 'main.go', 15, "secret SIGNING's value is 4 bytes long, under the policy's 16, about 8 bits of entropy, under the policy's 48"]]);
    // The run holds the measure, not the value.
    const runs = join(app, '.envtrace', 'runs');
    const text = readdirSync(runs).flatMap((r) => readdirSync(join(runs, r)).filter((f) => f.endsWith('.jsonl')).map((f) => readFileSync(join(runs, r, f), 'utf8'))).join('');
    assert.match(text, /"k":"DB_PASSWORD","h":"[0-9a-f]+","n":24,"bits":0[,}]/); // found: ok left out beside h
    assert.doesNotMatch(text, /aaaaaaaa|Zq8-vR2x|qwe1/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('value-drift compares the agreed keys of real runs by value or keyed hash, never printing them', async () => {
  const work = mkdtempSync(join(tmpdir(), 'envtrace-check-'));
  try {
    const app = join(work, 'drift');
    cpSync(join(root, 'test', 'fixtures', 'check', 'drift'), app, { recursive: true });
    const token = 'tok-Zq8vR2xLw5Kp9sT3';
    const run = async (env: NodeJS.ProcessEnv) => {
      const r = await envtrace(['--quiet', '--', 'go', 'run', '.'], { cwd: app, env: { PORT: '8080', MODE: 'fast', API_TOKEN: token, ...env } });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse((await envtrace(['runs', '--json'], { cwd: app })).stdout)[0].id as string;
    };
    // LOG_LEVEL differs too, but envtrace.json does not ask runs to agree on it.
    const a = await run({ LOG_LEVEL: 'debug' });
    const b = await run({ LOG_LEVEL: 'info' });
    const check = async (...runs: string[]) => {
      const r = await envtrace(['check', '--run', ...runs, '--format', 'json'], { cwd: app });
      // value-drift is a warning; run d's unset PORT is also a required-unset error.
      assert.equal(r.code, runs.length > 2 ? 1 : 0, r.stderr);
      assert.doesNotMatch(r.stdout, /tok-|slow|fast/);
      return (JSON.parse(r.stdout) as CheckResult).findings.filter((f) => f.rule === 'value-drift').map((f) => [f.key, f.file, f.line, f.message]);
    };
    assert.deepEqual(await check(a, b), []);
    const c = await run({ MODE: 'slow', API_TOKEN: token + 'x' });
    const d = await run({ PORT: undefined });
    assert.deepEqual(await check(a, b, c, d), [
      // In the order of their reads on line 9.
      ['PORT', 'main.go', 9, `PORT differs between runs that should agree: ${a} and ${d} (2 distinct values across 4 runs; values not shown)`],
      ['MODE', 'main.go', 9, `MODE differs between runs that should agree: ${a} and ${c} (2 distinct values across 4 runs; values not shown)`],
      ['API_TOKEN', 'main.go', 9, `API_TOKEN differs between runs that should agree: ${a} and ${c} (2 distinct values across 4 runs; values not shown)`],
    ]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
