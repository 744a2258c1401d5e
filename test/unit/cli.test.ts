import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../server/src/cli/main';
import type { Io } from '../../server/src/cli/io';

function capture(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    cwd: process.cwd(),
    env: process.env,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

test('an unknown subcommand is a usage error naming it', async () => {
  const io = capture();
  assert.equal(await main(['frobnicate'], io), 2);
  assert.match(io.stderr, /unknown command "frobnicate"/);
  assert.match(io.stderr, /usage: envtrace/);
});

test('--help prints usage and succeeds', async () => {
  const io = capture();
  assert.equal(await main(['--help'], io), 0);
  assert.match(io.stdout, /envtrace scan/);
});
