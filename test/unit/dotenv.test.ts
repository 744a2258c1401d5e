import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDotenvName, parseDotenv } from '../../server/src/scan/dotenv';
import { isSecretKey, isSecretValue, shownValue } from '../../server/src/tracer/secrets';

const brief = (text: string) => parseDotenv(text).entries.map((e) => [e.key, e.value]);

test('.env: KEY=VALUE, export, blanks and whole-line comments', () => {
  const f = parseDotenv('# comment\n\nPORT=8080\nexport REGION = eu-west-1\n  INDENTED=yes\r\nEMPTY=\nCOLON: v\n');
  assert.deepEqual(f.entries.map((e) => [e.key, e.value, e.exported]), [
    ['PORT', '8080', false],
    ['REGION', 'eu-west-1', true],
    ['INDENTED', 'yes', false],
    ['EMPTY', '', false],
    ['COLON', 'v', false],
  ]);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.entries[1].keyRange, { line: 3, start: 7, end: 13 });
  assert.deepEqual(f.entries[2].keyRange, { line: 4, start: 2, end: 10 });
});

test('.env: inline comments only after whitespace in unquoted values', () => {
  assert.deepEqual(brief('A=x # note\nB=x#not-a-comment\nC="quoted # kept" # dropped\n'), [
    ['A', 'x'],
    ['B', 'x#not-a-comment'],
    ['C', 'quoted # kept'],
  ]);
});

test('.env: single quotes are literal, double quotes unescape and may span lines', () => {
  const f = parseDotenv(`S='a\\nb $X'\nD="a\\nb \\"q\\""\nM="line1\nline2"\nAFTER=1\n`);
  assert.deepEqual(f.entries.map((e) => [e.key, e.value, e.quote, e.endLine]), [
    ['S', 'a\\nb $X', "'", 0],
    ['D', 'a\nb "q"', '"', 1],
    ['M', 'line1\nline2', '"', 3],
    ['AFTER', '1', null, 4],
  ]);
  assert.deepEqual(f.entries[0].refs, []);
});

test('.env: ${VAR} and $VAR references with their ranges; \\$ is no reference', () => {
  const f = parseDotenv('URL=http://${HOST}:$PORT/x\nD="${A:-def}/b"\nE=\\$NOT\n');
  assert.deepEqual(f.entries[0].refs, [
    { name: 'HOST', range: { line: 0, start: 11, end: 18 } },
    { name: 'PORT', range: { line: 0, start: 19, end: 24 } },
  ]);
  assert.deepEqual(f.entries[1].refs.map((r) => r.name), ['A']);
  assert.deepEqual(f.entries[2].refs, []);
  assert.equal(f.entries[2].value, '$NOT');
});

test('.env: bad lines are problems with their line, and the rest still parses', () => {
  const f = parseDotenv('=novalue\nGOOD=1\njust words\nU="never closed\n');
  assert.deepEqual(f.problems.map((p) => p.line), [0, 2, 3]);
  assert.deepEqual(f.entries.map((e) => e.key), ['GOOD', 'U']);
  assert.deepEqual(parseDotenv('export ONLY\n').problems, []);
});

test('.env file names', () => {
  for (const n of ['.env', '.env.local', '.env.production', 'prod.env']) assert.ok(isDotenvName(n), n);
  for (const n of ['.envrc', 'env', 'main.go', '.environment']) assert.ok(!isDotenvName(n), n);
});

test('secret values are recognised by the recorder rules', () => {
  assert.ok(isSecretKey('DB_PASSWORD') && isSecretKey('github_token') && isSecretKey('X_AUTH_HEADER'));
  assert.ok(!isSecretKey('PORT'));
  assert.ok(isSecretKey('MY_PIN', ['_PIN$']));
  assert.ok(isSecretValue('postgres://u:p@db/app') && isSecretValue('host=x password=y'));
  assert.ok(!isSecretValue('postgres://u@db/app') && !isSecretValue('http://x/a:b@c'));
  assert.equal(shownValue('API_KEY', 'abcdef'), '••• (6 chars)');
  assert.equal(shownValue('PORT', '8080'), '8080');
});
