// `envtrace:ignore` comments: the parser, and the built CLI (dist/cli.js check) honouring them
// on a copy of test/fixtures/check/breaks. The server side is in test/server/checkDiagnostics.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckResult } from '../../server/src/check/check';
import { ignoreComment, suppressedAt } from '../../server/src/check/suppress';

const repo = join(__dirname, '..', '..', '..');

function check(dir: string): CheckResult {
  const r = spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'check', dir, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as CheckResult;
}

test('a suppression comment names rules, on its line or the line above', () => {
  assert.deepEqual(ignoreComment('\t// envtrace:ignore undeclared-key, race legacy code')?.rules, ['undeclared-key', 'race']);
  assert.equal(ignoreComment('x := 1 // envtrace:ignore race')?.listEnd, 'x := 1 // envtrace:ignore race'.length);
  assert.deepEqual(ignoreComment('# envtrace:ignore declared-unused')?.rules, ['declared-unused']);
  assert.equal(ignoreComment('s := "envtrace:ignore race"'), null, 'only in a comment');
  assert.equal(ignoreComment('// envtrace:ignore'), null, 'a rule id is required');
  const lines = ['// envtrace:ignore race', 'a()', 'b() // envtrace:ignore all', 'c()'];
  assert.ok(suppressedAt(lines, 2, 'race'));
  assert.ok(!suppressedAt(lines, 2, 'undeclared-key'));
  assert.ok(suppressedAt(lines, 3, 'undeclared-key') && suppressedAt(lines, 4, 'parallel-setenv'));
  assert.ok(!suppressedAt(lines, 1, 'undeclared-key'));
});

test('the CLI drops findings silenced by a comment in Go and in .env.example, and only those', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-suppress-'));
  try {
    cpSync(join(repo, 'test', 'fixtures', 'check', 'breaks'), dir, { recursive: true });
    const brief = (r: CheckResult) => r.findings.map((f) => `${f.rule} ${f.file}:${f.line}`);
    const before = brief(check(dir));
    assert.ok(before.includes('undeclared-key main.go:12') && before.includes('env-write-outside-tests main.go:13') && before.includes('declared-unused .env.example:3'));
    const main = readFileSync(join(dir, 'main.go'), 'utf8');
    writeFileSync(join(dir, 'main.go'), main.replace('\tfmt.Println(', '\t// envtrace:ignore undeclared-key legacy names\n\tfmt.Println('));
    writeFileSync(join(dir, '.env.example'), readFileSync(join(dir, '.env.example'), 'utf8').replace('STALE_KEY=1', 'STALE_KEY=1 # envtrace:ignore declared-unused'));
    const after = brief(check(dir));
    // Every undeclared-key on the commented line is gone; the other rules there (secret-to-output)
    // and the write on the next line stay, one line down.
    const shifted = (f: string) => f.replace(/main\.go:(\d+)$/, (_, n: string) => `main.go:${Number(n) >= 12 ? Number(n) + 1 : n}`);
    assert.deepEqual(after, before.filter((f) => !f.startsWith('undeclared-key main.go:12') && f !== 'declared-unused .env.example:3').map(shifted));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
