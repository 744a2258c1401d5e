// Redaction inside the recorder: secrets never reach the run directory in clear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRedactPattern } from '../../server/src/tracer/redact';
import { sipHashHex } from '../../server/src/tracer/siphash';
import { KEY_CASES, VALUE_CASES } from '../unit/secretCases';
import { assertWellFormed, fixture, HASH_KEY, readRun, traced, type Rec } from './recorderSupport';

const SECRETS = {
  DB_PASSWORD: 'hunter2-S3cretValue',
  DATABASE_URL: 'postgres://app:pgpw-XYZ123@db:5432/shop',
  CUSTOM_THING: 'custom-val-987',
};

function everyFile(dir: string): string {
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
}

test('secret values (by key, URL password, --redact pattern) appear in no file of the run', async () => {
  const cwd = fixture('secret');
  const r = await traced('go', ['run', '.'], { cwd, env: SECRETS, redact: ['^custom_'] });
  assert.equal(r.status, 0, r.stderr);
  const text = everyFile(r.runDir);
  for (const v of [...Object.values(SECRETS), 'pgpw-XYZ123', 'hunter2-S3cretValue-copy']) {
    assert.ok(!text.includes(v), `${v} leaked`);
  }
  assert.ok(!text.includes('00112233445566778899aabbccddeeff'), 'the hash key is not stored');
  const files = readRun(r.runDir);
  assert.equal(files.length, 2, 'parent and child');
  files.forEach(assertWellFormed);
  const parent = files.find((f) => f.proc.parent === 0)!;
  const envEntry = (k: string): Rec => parent.proc.env.find((e: Rec) => e.k === k);
  for (const [k, v] of Object.entries(SECRETS)) {
    assert.equal(envEntry(k).v, undefined);
    assert.equal(envEntry(k).n, v.length);
    assert.match(envEntry(k).h, /^[0-9a-f]{16}$/);
    const read = parent.events.find((e) => e.op === 'getenv' && e.k === k)!;
    assert.deepEqual([read.v, read.n, read.h], [undefined, v.length, envEntry(k).h], `${k} read redacted, same hash`);
  }
  const set = parent.events.find((e) => e.op === 'setenv' && e.k === 'SESSION_COOKIE')!;
  assert.equal(set.n, SECRETS.DB_PASSWORD.length + 5);
  assert.ok(envEntry('PATH').v, 'ordinary values stay in clear');
  // The child got the same key: a value hashes the same in every process of the run.
  const child = files.find((f) => f.proc.parent !== 0)!;
  // Arguments holding a secret value or a URL with a password are redacted too.
  assert.match(child.proc.argv[2], new RegExp(`^<redacted h=[0-9a-f]{16} n=${SECRETS.DB_PASSWORD.length + 2}>$`));
  assert.match(child.proc.argv[3], new RegExp(`^<redacted h=[0-9a-f]{16} n=${SECRETS.DATABASE_URL.length}>$`));
  const spawn = parent.events.find((e) => e.op === 'spawn')!;
  assert.deepEqual(spawn.argv.slice(2), child.proc.argv.slice(2));
  assert.equal(child.proc.env.find((e: Rec) => e.k === 'DB_PASSWORD').h, envEntry('DB_PASSWORD').h);
});

test('--no-redact stores values in clear', async () => {
  const cwd = fixture('secret');
  const r = await traced('go', ['run', '.', 'nochild'], { cwd, env: SECRETS, noRedact: true });
  assert.equal(r.status, 0, r.stderr);
  const [f] = readRun(r.runDir);
  assert.equal(f.events.find((e) => e.k === 'DB_PASSWORD')!.v, SECRETS.DB_PASSWORD);
  assert.equal(f.events.find((e) => e.k === 'DATABASE_URL')!.v, SECRETS.DATABASE_URL);
});

test('--redact patterns in the documented subset: classes, \\d, anchors, alternatives, case-insensitive', async () => {
  const patterns = ['internal_[a-z]+_ID$|^X\\d+', 'w.rd'];
  for (const p of patterns) assert.equal(checkRedactPattern(p), null);
  assert.match(checkRedactPattern('(a|b)') ?? '', /"\(" is not supported/);
  const env = {
    INTERNAL_abc_ID: 'sec-1', X12: 'sec-2', MY_WORD: 'sec-3', // redacted
    INTERNAL_abc_IDX: 'clear-1', XA: 'clear-2', MY_WRD: 'clear-3', // not
  };
  const r = await traced('go', ['run', '.', 'nochild'], { cwd: fixture('secret'), env, redact: patterns });
  assert.equal(r.status, 0, r.stderr);
  const [f] = readRun(r.runDir);
  const entry = (k: string): Rec => f.proc.env.find((e: Rec) => e.k === k);
  for (const k of ['INTERNAL_abc_ID', 'X12', 'MY_WORD']) assert.equal(entry(k).v, undefined, `${k} redacted`);
  for (const [k, v] of [['INTERNAL_abc_IDX', 'clear-1'], ['XA', 'clear-2'], ['MY_WRD', 'clear-3']]) assert.equal(entry(k).v, v);
});

test('the recorder applies the shared table of names and values, and hashes as the CLI does', async () => {
  const env: Record<string, string> = {};
  KEY_CASES.secret.forEach((k) => (env[k] = `secret-by-name-${k}`));
  KEY_CASES.clear.filter((k) => !['PWD', 'HOME', 'PATH', 'GOFLAGS', 'LANG'].includes(k)).forEach((k) => (env[k] = `clear-by-name-${k}`));
  VALUE_CASES.secret.forEach((v, i) => (env[`SV_${i}`] = v));
  VALUE_CASES.clear.forEach((v, i) => (env[`CV_${i}`] = v));
  const keys = Object.keys(env);
  const args = ['--password=S3CR3T-arg', '--db-pass', 'S3CR3T-arg-2', '-p', '8080', 'PGPASS=S3CR3T-arg-3'];
  const r = await traced('go', ['run', '.', ...args], { cwd: fixture('secretcases'), env: { ...env, CASE_KEYS: keys.join(',') } });
  assert.equal(r.status, 0, r.stderr);
  const [f] = readRun(r.runDir);
  const read = (k: string): Rec => f.events.find((e) => e.op === 'getenv' && e.k === k)!;
  for (const k of keys) {
    const e = read(k);
    const secret = k.startsWith('SV_') || (!k.startsWith('CV_') && KEY_CASES.secret.includes(k));
    if (secret) assert.deepEqual([e.v, e.h, e.n], [undefined, sipHashHex(HASH_KEY, env[k]), Buffer.byteLength(env[k])], `${k}=${env[k]} redacted with the CLI's hash`);
    else assert.equal(e.v, env[k], `${k}=${env[k]} in clear`);
  }
  const h = (s: string) => `<redacted h=${sipHashHex(HASH_KEY, s)} n=${s.length}>`;
  assert.deepEqual(f.proc.argv.slice(1), [`--password=${h('S3CR3T-arg')}`, '--db-pass', h('S3CR3T-arg-2'), '-p', '8080', `PGPASS=${h('S3CR3T-arg-3')}`]);
  assert.equal(f.proc.env, undefined, 'no os.Environ call: no environment stored');
  assert.ok(!f.recs.some((x) => x.t === 'V'));
});

test('without --full-env a process keeps only what it read; with it, the whole (redacted) environment', async () => {
  const env = { UNREAD_MARKER: 'never-read-value', PROCS_LEVEL: '' };
  const lean = await traced('go', ['run', '.'], { cwd: fixture('procs'), env });
  assert.equal(lean.status, 0, lean.stderr);
  const leanText = everyFile(lean.runDir);
  assert.ok(!leanText.includes('never-read-value') && !leanText.includes('UNREAD_MARKER'), 'an unread variable is not stored');
  const full = await traced('go', ['run', '.'], { cwd: fixture('procs'), env: { ...env, DB_PASSWORD: 'full-env-pw' }, fullEnv: true });
  assert.equal(full.status, 0, full.stderr);
  const parent = readRun(full.runDir).find((x) => x.proc.parent === 0)!;
  assert.equal(parent.proc.env.find((e: Rec) => e.k === 'UNREAD_MARKER').v, 'never-read-value');
  assert.equal(parent.proc.env.find((e: Rec) => e.k === 'DB_PASSWORD').v, undefined);
  assert.ok(!everyFile(full.runDir).includes('full-env-pw'));
});

test('a value that becomes a known secret is redacted in later reads of a key read before', async () => {
  const value = 'neutral-then-secret-42';
  const r = await traced('go', ['run', '.'], { cwd: fixture('secretlater'), env: { NEUTRAL: value } });
  assert.equal(r.status, 0, r.stderr);
  const [f] = readRun(r.runDir);
  assertWellFormed(f);
  const reads = f.events.filter((e) => e.op === 'getenv' && e.k === 'NEUTRAL');
  assert.deepEqual(reads.map((e) => e.v), [value, value, value, undefined], 'clear until API_TOKEN holds it, then redacted');
  assert.equal(reads[3].n, value.length);
  assert.match(reads[3].h, /^[0-9a-f]{16}$/);
});
