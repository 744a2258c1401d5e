import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { collectFlame, FlameCollector, MAX_LEAVES, MAX_NODE_KEYS, type FlameFilter } from '../../server/src/runs/flame';
import { FOLDED_LINE, foldedName, foldedText } from '../../server/src/runs/folded';
import { speedscopeFile } from '../../server/src/runs/speedscope';
import { readRunInfo, type StoredRun } from '../../server/src/runs/store';
import { main } from '../../server/src/cli/main';
import type { Io } from '../../server/src/cli/io';

const root = join(__dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'runs');
// speedscope's own schema, as its npm package ships it (dist/release/file-format-schema.json).
const schema = JSON.parse(readFileSync(join(root, 'node_modules', 'speedscope', 'dist', 'release', 'file-format-schema.json'), 'utf8'));
const validSpeedscope = new Ajv({ allErrors: true, strict: false }).compile({ ...schema, $ref: '#/definitions/FileFormat.File' });

async function stored(name: string): Promise<StoredRun> {
  const dir = join(fixtures, name);
  return { dir, info: await readRunInfo(dir) };
}

async function folded(name: string, filter: FlameFilter = {}): Promise<string> {
  const { flame } = await collectFlame(await stored(name), filter);
  return foldedText(flame.paths());
}

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', cwd: process.cwd(), env: process.env, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

function assertFoldedGrammar(text: string): void {
  assert.ok(text.endsWith('\n'));
  for (const line of text.slice(0, -1).split('\n')) assert.match(line, FOLDED_LINE, line);
}

test('folded: one line per distinct stack, root first, the access as leaf, counts summed across processes', async () => {
  const text = await folded('basic');
  assertFoldedGrammar(text);
  const lines = text.trim().split('\n');
  // main.go:12 reads DATABASE_URL three times in pid 100 and once in pid 101: one stack, merged.
  assert.ok(lines.includes('main.main;os.Getenv;getenv DATABASE_URL 4'), text);
  assert.ok(lines.includes('main.main;main.loadConfig;os.LookupEnv;getenv REGION 1'), text);
  assert.ok(lines.includes('runtime;getenv GODEBUG 1'), text);
  // Sorted, so the output is stable.
  assert.deepEqual([...lines].sort(), lines);
  // No value reaches the output, redacted or not.
  assert.doesNotMatch(text, /postgres|3f9a0c1d/);
});

test('folded: filters by key, op, process, test and unset-only', async () => {
  assert.equal(await folded('basic', { keys: ['REGION'], pids: [100] }), 'main.main;main.loadConfig;os.LookupEnv;getenv REGION 1\n');
  const unset = await folded('basic', { unsetOnly: true });
  assert.match(unset, /getenv REGION/);
  assert.doesNotMatch(unset, /DATABASE_URL/);
  const writes = await folded('races', { ops: ['write'] });
  assertFoldedGrammar(writes);
  assert.doesNotMatch(writes, /getenv/);
  assert.match(writes, /main\.writer;os\.Setenv;setenv B_LIKELY 1/);
  assert.equal(await folded('races', { tests: ['TestE'] }), 'main.TestE;testing.(*T).Setenv;testing.(*common).Setenv;os.Setenv;setenv E_TESTING 1\n');
  assert.equal(await folded('races', { keys: ['NOPE'] }), '');
});

test('folded: names with the separator or line breaks stay one frame', () => {
  assert.equal(foldedName('a;b\nc'), 'a_b_c');
  const text = foldedText([{ frames: [{ function: 'main.f', file: '', line: 0 }, { function: 'getenv A;B', file: '', line: 0 }], count: 2, unset: 0, key: 'A;B' }]);
  assert.equal(text, 'main.f;getenv A_B 2\n');
  assertFoldedGrammar(text);
});

test('speedscope: the file validates against speedscope\'s file-format schema, weights are the counts', async () => {
  for (const name of ['basic', 'races']) {
    const { flame } = await collectFlame(await stored(name));
    const file = speedscopeFile(flame.paths(), name, 'envtrace test');
    assert.ok(validSpeedscope(file), JSON.stringify(validSpeedscope.errors));
    const p = file.profiles[0];
    assert.equal(p.samples.length, p.weights.length);
    assert.equal(p.endValue, flame.total);
    assert.equal(p.weights.reduce((a, b) => a + b, 0), flame.total);
    // Root first: the outermost user frame opens every sample of a main-package stack; frames keep file:line.
    const main = file.shared.frames.findIndex((f) => f.name === 'main.main');
    assert.deepEqual(file.shared.frames[main].line !== undefined, true);
    assert.ok(p.samples.some((s) => s[0] === main));
  }
  // The schema check really checks: a wrong unit fails.
  assert.equal(validSpeedscope({ ...speedscopeFile([], 'x', 'y'), profiles: [{ type: 'sampled', unit: 'furlongs' }] }), false);
});

test('flame tree: widths add up, keys and unset counts ride along for the hover', async () => {
  const { flame } = await collectFlame(await stored('basic'));
  const tree = flame.tree('basic');
  assert.equal(tree.value, flame.total);
  assert.equal(tree.children.reduce((a, c) => a + c.value, 0), tree.value);
  const main = tree.children.find((c) => c.name === 'main.main')!;
  assert.equal(main.file, '/work/app/main.go');
  assert.equal(main.line, 12, 'the heaviest call of main.main');
  assert.ok(main.keys.DATABASE_URL >= 4);
  assert.ok(main.unset >= 1);
});

test('envtrace report --format folded|speedscope with filter flags, to stdout and to a file', async () => {
  const run = join(fixtures, 'basic');
  let io = capture();
  assert.equal(await main(['report', '--format', 'folded', '--key', 'REGION', '--process=100', run], io), 0, io.stderr);
  assert.equal(io.stdout, 'main.main;main.loadConfig;os.LookupEnv;getenv REGION 1\n');
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-flame-'));
  try {
    io = capture();
    const out = join(dir, 'run.speedscope.json');
    assert.equal(await main(['report', '--format=speedscope', '--op', 'read', '--unset-only', '--output', out, run], io), 0, io.stderr);
    const file = JSON.parse(readFileSync(out, 'utf8')) as { shared: { frames: { name: string }[] } };
    assert.ok(validSpeedscope(file), JSON.stringify(validSpeedscope.errors));
    assert.ok(file.shared.frames.some((f) => f.name === 'getenv REGION'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  io = capture();
  assert.equal(await main(['report', '--key', 'PORT', run], io), 2);
  assert.match(io.stderr, /go with --format folded or speedscope/);
  io = capture();
  assert.equal(await main(['report', '--format', 'folded', '--op', 'sneeze', run], io), 2);
  assert.match(io.stderr, /--op is one of/);
});

test('flame tree: a frame reading thousands of keys keeps its heaviest leaves and keys, the rest merged, widths intact', () => {
  const flame = new FlameCollector();
  flame.stack('s1', [{ function: 'os.Getenv', file: '/go/src/os/env.go', line: 101 }, { function: 'main.main', file: '/app/main.go', line: 9 }]);
  for (let k = 0; k < 1000; k++) {
    for (let i = 0; i <= k % 3; i++) flame.event({ pid: 1, seq: 1, goroutine: 1, parentGoroutine: 0, op: 'getenv', key: `K${k}`, found: true, redacted: false, t0: 0, t1: 0, time: 0, api: 'os.Getenv', stack: 's1', user: null, writeGen: 0, writeInFlight: false, weight: 1 });
  }
  const tree = flame.tree();
  const getenv = tree.children[0].children[0];
  assert.equal(getenv.name, 'os.Getenv');
  assert.equal(getenv.children.length, MAX_LEAVES);
  assert.equal(getenv.children.reduce((n, c) => n + c.value, 0), getenv.value);
  assert.equal(getenv.children.at(-1)!.name, `getenv (${1000 - MAX_LEAVES + 1} more keys)`);
  assert.equal(Object.keys(getenv.keys).length, MAX_NODE_KEYS);
  assert.equal(Object.values(getenv.keys).reduce((a, b) => a + b, 0), getenv.value);
  // The folded output keeps every key: it is the data, not a drawing.
  assert.equal(foldedText(flame.paths()).trim().split('\n').length, 1000);
});
