// The rules added after the first slice of `envtrace check`, through the built CLI on real
// fixture trees: each fires on the part of a fixture that breaks it and stays quiet elsewhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckResult } from '../../server/src/check/check';
import { RULES } from '../../server/src/check/rules';

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

/** Runs the built CLI with `args` in `cwd`. */
function cliRun(args: string[], cwd: string) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, GITHUB_STEP_SUMMARY: '' } });
}

const BASE_GO = `package main

import "os"

func main() {
	_ = os.Getenv("PORT")
	_ = os.Getenv("DB_PASSWORD")
}
`;

const NEW_GO = `package main

import "os"

func main() {
	_ = os.Getenv("PORT")
	_ = os.Getenv("DB_PASSWORD")
	_ = os.Getenv("FEATURE_X")
	os.Setenv("PORT", "1")
	report()
}

func report() {
	_ = os.Getenv("DB_PASSWORD")
	_ = os.Getenv("FEATURE_X")
}
`;

test('new-key reports keys, writes and secret reads added since a --baseline git revision or scan file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-check-'));
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  try {
    const app = join(dir, 'svc');
    mkdirSync(app);
    writeFileSync(join(app, 'go.mod'), 'module example.com/svc\n\ngo 1.21\n');
    writeFileSync(join(app, 'main.go'), BASE_GO);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    // Unchanged since the baseline: quiet.
    assert.deepEqual(checkJson([app, '--baseline', 'HEAD']).result.findings, []);
    const scan = cliRun(['scan', '--json', app], dir);
    writeFileSync(join(dir, 'base.json'), scan.stdout);

    writeFileSync(join(app, 'main.go'), NEW_GO);
    const status = git('status', '--porcelain');
    const expected = [
      'new-key FEATURE_X main.go 8 new key FEATURE_X: read here (os.Getenv), read nowhere in the baseline',
      'new-key PORT main.go 9 new environment write: os.Setenv("PORT"), not in the baseline',
      'new-key DB_PASSWORD main.go 14 secret DB_PASSWORD is now read in main.report (os.Getenv), which did not read it in the baseline',
    ];
    for (const spec of ['HEAD', join(dir, 'base.json')]) {
      const { code, result } = checkJson([app, '--baseline', spec], app);
      assert.equal(code, 0, 'new-key is a warning');
      assert.deepEqual(result.findings.filter((f) => f.rule === 'new-key').map((f) => [f.rule, f.key, f.file, f.line, f.message].join(' ')), expected, spec);
    }
    // The checkout is as it was: no stash, no worktree, no changed index.
    assert.equal(git('status', '--porcelain'), status);
    assert.equal(git('worktree', 'list').trim().split('\n').length, 1);

    for (const [spec, message] of [
      ['--upload-pack=touch pwned', /is neither a file nor a git revision envtrace accepts/],
      ['HEAD:svc/main.go', /is neither a file nor a git revision envtrace accepts/],
      ['HEAD~1..HEAD', /is neither a file nor a git revision envtrace accepts/],
      ['$(touch pwned)', /is neither a file nor a git revision envtrace accepts/],
      ['no-such-branch', /no file and no commit "no-such-branch"/],
    ] as const) {
      const r = cliRun(['check', app, '--baseline', spec], app);
      assert.equal(r.status, 2, spec);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    }
    writeFileSync(join(dir, 'bad.json'), '{"files": 1}');
    const bad = cliRun(['check', app, '--baseline', join(dir, 'bad.json')], app);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /not an `envtrace scan --json` file/);
    assert.equal(existsSync(join(app, 'pwned')) || existsSync(join(dir, 'pwned')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("README's rule table lists every rule with its default level", () => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| (error|warning|note|off) \| `rules`/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    rows.sort(),
    RULES.map((r) => [r.id, r.level]).sort(),
  );
});
