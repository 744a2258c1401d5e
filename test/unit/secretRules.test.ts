// The secret rules: the TypeScript and Go lists are one (compared here), each case of the
// shared table holds for the TypeScript side (the Go side: test/go/recorderSecrets.test.ts),
// the keyed hash matches SipHash-2-4, and command lines lose their secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { redactArgv, redactArgvForDisplay } from '../../server/src/tracer/argv';
import { isSecretKey, isSecretValue, SECRET_KEY_SUFFIXES, SECRET_KEY_WORDS, SECRET_VALUE_ASSIGNMENTS, SECRET_VALUE_PREFIXES, shownValue } from '../../server/src/tracer/secrets';
import { sipHashHex } from '../../server/src/tracer/siphash';
import { KEY_CASES, VALUE_CASES } from './secretCases';

const GO_RULES = readFileSync(resolve(__dirname, '..', '..', '..', 'server', 'go', 'syscall', 'env', 'e_rules.go'), 'utf8');

/** The string literals of `var <name> = []string{…}` in the Go rules file. */
function goList(name: string): string[] {
  const m = new RegExp(`var ${name} = \\[\\]string\\{([\\s\\S]*?)\\n?\\}`).exec(GO_RULES);
  assert.ok(m, `${name} in e_rules.go`);
  return [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => JSON.parse(`"${x[1]}"`) as string);
}

test('the recorder (Go) holds the same rule lists as the TypeScript side', () => {
  assert.deepEqual(goList('etSecretKeyWords'), SECRET_KEY_WORDS);
  assert.deepEqual(goList('etSecretKeySuffixes'), SECRET_KEY_SUFFIXES);
  assert.deepEqual(goList('etSecretValuePrefixes'), SECRET_VALUE_PREFIXES);
  assert.deepEqual(goList('etSecretValueAssignments'), SECRET_VALUE_ASSIGNMENTS);
});

test('every name and value of the shared table', () => {
  for (const k of KEY_CASES.secret) assert.ok(isSecretKey(k), `${k} is a secret key`);
  for (const k of KEY_CASES.clear) assert.ok(!isSecretKey(k), `${k} is not`);
  for (const v of VALUE_CASES.secret) assert.ok(isSecretValue(v), `${JSON.stringify(v)} is a secret value`);
  for (const v of VALUE_CASES.clear) assert.ok(!isSecretValue(v), `${JSON.stringify(v)} is not`);
  assert.ok(isSecretKey('MY_PIN', ['_PIN$']));
  assert.equal(shownValue('PGPASS', 'pgpass-secret'), '••• (13 chars)');
  assert.equal(shownValue('CONN', 'u:pw@tcp(db:3306)/app'), '••• (21 chars)');
  assert.equal(shownValue('PORT', '8080'), '8080');
  assert.equal(shownValue('COPY', 'pw-copied', [], new Set(['pw-copied'])), '••• (9 chars)', 'a copy of a known secret');
  assert.equal(shownValue('FLAG', 'true', [], new Set(['true'])), 'true', 'short values are never copies');
});

test('the keyed hash is SipHash-2-4 (reference vectors)', () => {
  const key = '000102030405060708090a0b0c0d0e0f';
  assert.equal(sipHashHex(key, ''), '726fdb47dd0e0e31');
  assert.equal(sipHashHex(key, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]).toString('latin1')), '93f5f5799a932462');
});

test('command lines: secret flags (both forms), NAME=value, URLs and values of secret variables', () => {
  const key = '00112233445566778899aabbccddeeff';
  const h = (s: string) => `<redacted h=${sipHashHex(key, s)} n=${Buffer.byteLength(s)}>`;
  const argv = ['go', 'run', '.', '--password=S3CR3T', '--db-pass', 'hunter22', '-p', '8080', 'PGPASS=pg-pw', '--port', '9090', 'postgres://u:p@db/x', 'x-envpw-value-x', '--verbose'];
  assert.deepEqual(redactArgv(argv, { hashKey: key, env: { DB_PASSWORD: 'envpw-value', PORT: '9090' } }), [
    'go', 'run', '.', `--password=${h('S3CR3T')}`, '--db-pass', h('hunter22'), '-p', '8080', `PGPASS=${h('pg-pw')}`, '--port', '9090',
    h('postgres://u:p@db/x'), h('x-envpw-value-x'), '--verbose',
  ]);
  assert.deepEqual(redactArgv(['run', '--my-pin', '1234'], { hashKey: key, patterns: ['pin'] }), ['run', '--my-pin', h('1234')]);
});

test('command lines stored in clear (old run.json) are shown with <redacted>; parts redacted already are kept', () => {
  const key = '00112233445566778899aabbccddeeff';
  const argv = ['go', 'run', '.', '--password=S3CR3T', '--db-pass', 'hunter22', '-p', '8080', 'PGPASS=pg-pw', '--port', '9090', 'postgres://u:p@db/x', '--verbose'];
  const shown = ['go', 'run', '.', '--password=<redacted>', '--db-pass', '<redacted>', '-p', '8080', 'PGPASS=<redacted>', '--port', '9090', '<redacted>', '--verbose'];
  assert.deepEqual(redactArgvForDisplay(argv), shown);
  assert.deepEqual(redactArgvForDisplay(shown), shown);
  const stored = redactArgv(argv, { hashKey: key });
  assert.deepEqual(redactArgvForDisplay(stored), stored, 'a command redacted when stored is shown as stored');
  assert.deepEqual(redactArgvForDisplay(['run', '--my-pin', '1234'], ['pin']), ['run', '--my-pin', '<redacted>']);
});
