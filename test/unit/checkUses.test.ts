import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckResult } from '../../server/src/check/check';

const repo = join(__dirname, '..', '..', '..');

test('check: secret-to-output at each output use of a secret, unchecked-parse at each parse with its error dropped', () => {
  const r = spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'check', join(repo, 'test', 'fixtures', 'uses'), '--format', 'json'], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const result = JSON.parse(r.stdout) as CheckResult;
  const mine = result.findings.filter((f) => f.rule === 'secret-to-output' || f.rule === 'unchecked-parse');
  assert.deepEqual(mine.map((f) => `${f.rule} ${f.key} ${f.file}:${f.line} ${f.level}`), [
    'secret-to-output API_KEY ginapi/main.go:31 error',
    'unchecked-parse RATE_LIMIT ginapi/main.go:33 warning',
    'secret-to-output UPSTREAM_TOKEN stdapi/main.go:33 error',
  ]);
  assert.match(mine[0].message, /^log\.Printf outputs API_KEY, a secret or credential read at ginapi\/main\.go:30$/);
  // POSTGRES_PASSWORD (checked, only in a DSN) and POLL_INTERVAL (error read) give nothing.
  assert.ok(!result.findings.some((f) => f.key === 'POSTGRES_PASSWORD' || f.key === 'POLL_INTERVAL'));
});
