// The build exactly as the user configured it: GOFLAGS saved with `go env -w` (the go env
// file, $GOENV) reach the traced build, so traced and untraced builds are the same program.
// Real CLI (dist/cli.js), real go command, a real git repository (VCS stamping is on by default).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

const FILES: Record<string, string> = {
  'go.mod': 'module example.com/flags\n\ngo 1.21\n',
  'main.go': 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() { fmt.Println(variant, os.Getenv("FLAGS_PROBE")) }\n',
  'foo.go': '//go:build foo\n\npackage main\n\nconst variant = "tagged"\n',
  'nofoo.go': '//go:build !foo\n\npackage main\n\nconst variant = "untagged"\n',
  'count_test.go':
    'package main\n\nimport (\n\t"os"\n\t"testing"\n)\n\nfunc TestCount(t *testing.T) { t.Log(variant, os.Getenv("FLAGS_PROBE")) }\n',
};

describe('GOFLAGS from the go env file under envtrace', () => {
  let work: string;
  let mod: string;
  let env: NodeJS.ProcessEnv;

  const run = (cmd: string, args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(cmd, args, { cwd: mod, env: { ...env, ...extra }, encoding: 'utf8', maxBuffer: 16 << 20 });
    if (r.error) throw r.error;
    return r;
  };
  const envtrace = (args: string[], extra: NodeJS.ProcessEnv = {}) => run(process.execPath, [cli, '--dir', join(work, 'store'), ...args], extra);
  /** `go version -m` without its first line (the binary's path). */
  const buildInfo = (bin: string) => run('go', ['version', '-m', bin]).stdout.split('\n').slice(1).join('\n');

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'envtrace-goflags-'));
    mod = join(work, 'mod');
    mkdirSync(mod);
    mkdirSync(join(work, 'store'));
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(mod, name), text);
    // GOFLAGS empty in the environment: the go env file's value applies (as for a user who ran `go env -w`).
    env = { ...process.env, GOENV: join(work, 'go.env'), GOFLAGS: '', GOTOOLCHAIN: 'local', FLAGS_PROBE: 'seen' };
    const git = ['-c', 'user.name=t', '-c', 'user.email=t@example.com'];
    for (const args of [['init', '-q', '.'], ['add', '.'], ['commit', '-qm', 'init']]) assert.equal(run('git', [...git, ...args]).status, 0);
    assert.equal(run('go', ['env', '-w', 'GOFLAGS=-tags=foo -buildvcs=false -count=2']).status, 0);
    assert.equal(run('go', ['env', 'GOFLAGS']).stdout.trim(), '-tags=foo -buildvcs=false -count=2');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('go run prints the same as untraced: the -tags of the go env file apply', () => {
    const plain = run('go', ['run', '.']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout, 'tagged seen\n');
    const traced = envtrace(['--', 'go', 'run', '.']);
    assert.equal(traced.status, 0, traced.stderr);
    assert.equal(traced.stdout, plain.stdout);
    assert.match(traced.stderr, /os\.Getenv\("FLAGS_PROBE"\) → value="seen"/);
  });

  test('go build makes the same binary settings as untraced (go version -m): -tags kept, no VCS stamp', () => {
    assert.equal(run('go', ['build', '-o', join(work, 'plain.bin'), '.']).status, 0);
    const traced = envtrace(['--', 'go', 'build', '-o', join(work, 'traced.bin'), '.']);
    assert.equal(traced.status, 0, traced.stderr);
    const plain = buildInfo(join(work, 'plain.bin'));
    assert.match(plain, /build\t-tags=foo\n/);
    assert.doesNotMatch(plain, /vcs\./);
    assert.equal(buildInfo(join(work, 'traced.bin')), plain);
    // Without the file's -buildvcs=false the repository would be stamped: the comparison means something.
    const stamped = run('go', ['build', '-o', join(work, 'stamped.bin'), '.'], { GOFLAGS: '-tags=foo' });
    assert.equal(stamped.status, 0, stamped.stderr);
    assert.match(buildInfo(join(work, 'stamped.bin')), /vcs\.revision=/);
  });

  test('a -count=2 in the go env file runs each test twice under envtrace; -count on the command line wins', () => {
    const twice = envtrace(['--format', 'json', '--output', join(work, 'twice.json'), '--', 'go', 'test', '-v', '.']);
    assert.equal(twice.status, 0, twice.stderr);
    assert.equal(twice.stdout.match(/^=== RUN {3}TestCount$/gm)?.length, 2, twice.stdout);
    const thrice = envtrace(['--', 'go', 'test', '-v', '-count=3', '.']);
    assert.equal(thrice.status, 0, thrice.stderr);
    assert.equal(thrice.stdout.match(/^=== RUN {3}TestCount$/gm)?.length, 3, thrice.stdout);
  });

  test('without a count anywhere, envtrace adds -count=1 so a second traced run is not served from the test cache', () => {
    const noCount = { GOFLAGS: '-tags=foo' };
    for (let i = 0; i < 2; i++) {
      const r = envtrace(['--', 'go', 'test', '.'], noCount);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /\(cached\)/);
      assert.match(r.stderr, /os\.Getenv\("FLAGS_PROBE"\) → value="seen" \(×1\)/);
    }
  });

  test('a missing go binary or a failing `go env` is one line and exit status 2', () => {
    const missing = envtrace(['--go', join(work, 'no-such-go'), '--', 'go', 'run', '.']);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, `envtrace: go not found at ${join(work, 'no-such-go')} (check envtrace.goPath / --go)\n`);
    const broken = join(work, 'broken-go');
    writeFileSync(broken, '#!/bin/sh\necho "go: cannot find GOROOT directory" >&2\nexit 1\n', { mode: 0o755 });
    const failing = envtrace(['--go', broken, '--', 'go', 'run', '.']);
    assert.equal(failing.status, 2);
    assert.equal(failing.stderr, `envtrace: "${broken} env" failed in ${mod}: go: cannot find GOROOT directory\n`);
  });
});
