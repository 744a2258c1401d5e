import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTraceFlags } from '../../server/src/cli/traceFlags';
import { CliError } from '../../server/src/cli/io';
import { shQuote } from '../../server/src/cli/env';

test('trace flags: both spellings, repeatable --redact, the command after --', () => {
  const { flags, command } = parseTraceFlags(['--stack', '4', '--race', '--label=ci', '--redact', 'A', '--redact=B', '--no-redact', '--full-env', '--keep', '3', '--dir', 'x', '--quiet', '--format=json', '--output', '-', '--', 'go', 'test', '--', './...']);
  assert.deepEqual(flags, { stack: 4, race: true, label: 'ci', redact: ['A', 'B'], noRedact: true, fullEnv: true, keep: 3, dir: 'x', quiet: true, format: 'json', output: '-', go: undefined });
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
});
