// The rules added after the first slice of `envtrace check`, through the built CLI on real
// fixture trees: each fires on the part of a fixture that breaks it and stays quiet elsewhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckResult } from '../../server/src/check/check';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const fixtures = join(repo, 'test', 'fixtures', 'check');

/** `envtrace check ARGS --format json`: exit code and parsed result. */
export function checkJson(args: string[], cwd = repo): { code: number | null; result: CheckResult; stderr: string } {
  assert.ok(existsSync(cli), 'dist/cli.js is built (npm test builds it)');
  const r = spawnSync(process.execPath, [cli, 'check', ...args, '--format', 'json'], { cwd, encoding: 'utf8', env: { ...process.env, GITHUB_STEP_SUMMARY: '' } });
  assert.equal(r.stderr, '');
  return { code: r.status, result: JSON.parse(r.stdout) as CheckResult, stderr: r.stderr };
}

const brief = (r: CheckResult, rule: string) => r.findings.filter((f) => f.rule === rule).map((f) => [f.key, f.file, f.line].join(' '));

test('getenv-outside-config flags non-test reads outside allow.envReads, and is off by default', () => {
  const { code, result } = checkJson([join(fixtures, 'reads')]);
  assert.equal(code, 1);
  // config/config.go (allowed) and main_test.go (a test) stay quiet.
  assert.deepEqual(brief(result, 'getenv-outside-config'), ['DEBUG main.go 11']);
  const byDefault = checkJson([join(fixtures, 'breaks')]).result;
  assert.equal(byDefault.rules.find((r) => r.id === 'getenv-outside-config')?.level, 'off');
  assert.deepEqual(brief(byDefault, 'getenv-outside-config'), []);
});

/** A copy of fixture `name` in a temp dir; with `track`, a git work tree whose index holds those files. */
function copyFixture(name: string, track?: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-check-'));
  cpSync(join(fixtures, name), dir, { recursive: true });
  if (track) {
    const git = (args: string[]) => assert.equal(spawnSync('git', args, { cwd: dir }).status, 0, args.join(' '));
    git(['init', '-q']);
    git(['add', '--', ...track]);
  }
  return dir;
}

test('secret-hygiene flags secret defaults, literal secret writes and prod stages in committed .env files', () => {
  const dir = copyFixture('secrets', ['.']);
  try {
    // Not committed: a local .env saying prod is the developer's business.
    writeFileSync(join(dir, '.env.local'), 'APP_ENV=prod\n');
    const { code, result } = checkJson([dir]);
    assert.equal(code, 1);
    assert.deepEqual(brief(result, 'secret-hygiene'), ['APP_ENV .env.staging 1', 'API_TOKEN main.go 9', 'SESSION_SECRET main.go 13']);
    assert.doesNotMatch(JSON.stringify(result), /dev-token|hunter2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('secret-hygiene outside a git work tree reads only the .env templates for prod stages', () => {
  const dir = copyFixture('secrets');
  try {
    writeFileSync(join(dir, '.env.example'), 'APP_ENV=production\n');
    const { result } = checkJson([dir]);
    assert.deepEqual(brief(result, 'secret-hygiene'), ['APP_ENV .env.example 1', 'API_TOKEN main.go 9', 'SESSION_SECRET main.go 13']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
