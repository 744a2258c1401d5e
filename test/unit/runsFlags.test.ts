import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTraceFlags } from '../../server/src/cli/traceFlags';
import { CliError } from '../../server/src/cli/io';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellCommand, shQuote } from '../../server/src/cli/shellQuote';
import { runsCommand } from '../../server/src/cli/runs';
import { createRun, storeRoot } from '../../server/src/runs/store';

test('trace flags: both spellings, repeatable --redact, the command after --', () => {
  const { flags, command } = parseTraceFlags(['--stack', '4', '--race', '--label=ci', '--redact', 'A', '--redact=B', '--no-redact', '--full-env', '--keep', '3', '--dir', 'x', '--quiet', '--format=json', '--output', '-', '--no-go-command', '--', 'go', 'test', '--', './...']);
  assert.deepEqual(flags, { stack: 4, race: true, label: 'ci', redact: ['A', 'B'], noRedact: true, fullEnv: true, keep: 3, dir: 'x', quiet: true, format: 'json', output: '-', go: undefined, goCommand: false });
  assert.equal(parseTraceFlags(['go', 'test']).flags.goCommand, true, 'the go command is traced by default');
  assert.deepEqual(command, ['go', 'test', '--', './...']);
  assert.deepEqual(parseTraceFlags(['make', '-j2']).command, ['make', '-j2']);
  assert.equal(parseTraceFlags([]).flags.keep, 20);
  assert.equal(parseTraceFlags([]).flags.stack, 16);
});

test('trace flags: bad values are one-line usage errors', () => {
  for (const [args, msg] of [
    [['--stack', '0'], /--stack wants a whole number from 1 to 64/],
    [['--stack', '65'], /from 1 to 64/],
    [['--keep', 'x'], /--keep wants a whole number/],
    [['--format', 'xml'], /--format is text or json/],
    [['--label'], /--label needs a value/],
    [['--race=1'], /--race takes no value/],
    [['--frobnicate'], /unknown flag --frobnicate/],
  ] as const) {
    assert.throws(() => parseTraceFlags([...args]), (e: Error) => e instanceof CliError && e.exitCode === 2 && msg.test(e.message));
  }
  assert.throws(() => parseTraceFlags(['--format=json'], new Set(['stack'])), /unknown flag --format/);
});

test('shell quoting of exported values', () => {
  assert.equal(shQuote('-overlay=/a/b.json -count=1'), `'-overlay=/a/b.json -count=1'`);
  assert.equal(shQuote("it's"), `'it'\\''s'`);
  assert.equal(shQuote('/plain/path'), '/plain/path');
  assert.equal(shQuote(''), `''`);
});

test('commands are printed as a shell would need them typed', () => {
  assert.equal(shellCommand(['go', 'test', '-run', 'TestX(32|64)$', './...']), `go test -run 'TestX(32|64)$' ./...`);
  // A real POSIX shell reads each printed command back into the same argv.
  const argv = ['go', 'test', '-run', 'TestX(32|64)$', "it's", '', 'a b', '$HOME', '*.go', '-tags=a,b', 'x;y', '`id`', 'tab\there', 'new\nline', '~', 'a"b'];
  const r = spawnSync('/bin/sh', ['-c', `for a in ${shellCommand(argv)}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\0').slice(0, -1), argv);
});

test('envtrace runs lists each command quoted for the shell', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-runs-'));
  try {
    const command = ['go', 'test', '-run', 'TestX(32|64)$', './...'];
    await createRun(storeRoot(dir), {
      label: null, command, cwd: dir, start: new Date().toISOString(), end: null, exitCode: 0, goVersion: 'go1.26.0',
      goos: 'linux', goarch: 'amd64', gitCommit: null, goroot: null, gomodcache: null, mode: 'run',
    });
    let out = '';
    const code = await runsCommand(['--dir', dir], { out: (t) => void (out += t), err: () => undefined, cwd: dir, env: {} });
    assert.equal(code, 0);
    assert.ok(out.trimEnd().split('\n')[1].endsWith(`  go test -run 'TestX(32|64)$' ./...`), out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
