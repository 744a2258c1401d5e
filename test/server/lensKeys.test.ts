// Issue 18 item 5 and issue 9 §4, over JSON-RPC: a site that saw several keys names each key's
// own value (or counts them), a read with a default shows the value the caller got, and an
// environ site says what it took.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type LspClient, uriOf } from './lspClient';
import { addRun, serveMergeWorkspace, type Views } from './runtimeSupport';

const HELPER = 'cmd/helper/main.go';
const OPS = 'cmd/ops/main.go';
const RACY = 'cmd/racy/main.go';

/** Appends reads of `keys` (value "x") made through the helper's `os.LookupEnv(key)` to a copy of the helper run. */
function helperRunWithKeys(app: string, keys: string[]): string {
  // Built aside and renamed into the store in one step: the server never sees it half written.
  const dir = addRun(app, 'helper', join('..', 'building-helper-many'));
  const file = join(dir, readdirSync(dir).find((n) => n.endsWith('.jsonl'))!);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const events = lines.map((l) => JSON.parse(l) as { t: string; seq?: number; k?: string; s?: number });
  const port = events.find((e) => e.t === 'E' && e.k === 'PORT')!;
  let seq = Math.max(...events.map((e) => e.seq ?? 0));
  const added = keys.map((k) => JSON.stringify({ ...port, seq: ++seq, k, v: 'x', ok: true }));
  writeFileSync(file, [...lines, ...added].join('\n') + '\n');
  const ready = join(dir, '..', 'runs', 'helper-many');
  renameSync(dir, ready);
  return ready;
}

describe('lens and inlay texts of multi-key, defaulted and environ sites', () => {
  let app: string;
  let client: LspClient;
  let v: Views;
  let stop: () => Promise<number | null>;

  before(async () => ({ app, client, v, stop } = await serveMergeWorkspace(['helper', 'ops', 'racy'], { runs: { show: 'all' } })));
  after(async () => assert.equal(await stop(), 0));

  test("a helper's getenv(key) names each key with its own value, and has no single inlay value", async () => {
    assert.equal(await v.lens(HELPER, 'os.LookupEnv(key)'), 'PORT = "9090", REGION unset · 5 reads · 1 process');
    assert.equal((await v.hints(HELPER)).get(v.line(HELPER, 'os.LookupEnv(key)')), undefined);
  });

  test('a read that found its key unset shows the default the caller got', async () => {
    const hints = await v.hints(HELPER);
    assert.equal(hints.get(v.line(HELPER, 'region := getenv')), '= "eu-west-1" (default)');
    assert.equal(hints.get(v.line(HELPER, 'DEBUG_LEVEL')), '= unset', 'no default: unset');
  });

  test('a pattern site names each key it saw', async () => {
    assert.match((await v.lens(OPS, 'os.Getenv("FEATURE_"')) ?? '', /^FEATURE_a (= "[^"]*"|unset), FEATURE_b (= "[^"]*"|unset) · 2 reads · 1 process$/);
  });

  test('os.Environ says how many calls and how many variables, not a dynamic key', async () => {
    const lens = (await v.lens(OPS, 'os.Environ()')) ?? '';
    assert.match(lens, /^reads the whole environment \(\d+ variables\) · 1 call · 1 process$/);
    assert.ok(!lens.includes('dynamic key'));
  });

  test('many keys are counted: "7 keys", not "(+6 more)"', async () => {
    const keys = ['K1', 'K2', 'K3', 'K4', 'K5'];
    const n = v.runsChanged();
    const dir = helperRunWithKeys(app, keys);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(dir, 'run.json')), type: 1 }] });
    await client.waitFor(() => v.runsChanged() > n, 'envtrace/runsChanged');
    // A refresh already under way when the run appeared may report first: wait for the next one.
    let lens = (await v.lens(HELPER, 'os.LookupEnv(key)')) ?? '';
    for (let i = 0; i < 3 && !lens.startsWith('7 keys'); i++) {
      const m = v.runsChanged();
      await client.waitFor(() => v.runsChanged() > m, 'envtrace/runsChanged');
      lens = (await v.lens(HELPER, 'os.LookupEnv(key)')) ?? '';
    }
    assert.match(lens, /^7 keys: PORT = "9090", (REGION unset|K\d = "x"), … · \d+ reads · 2 processes$/);
    assert.ok(!/more\)/.test(lens));
  });

  test('a race lens is short; the hover states the race once, on one line with a link, values first', async () => {
    const lens = (await v.lens(RACY, 'seen[os.Getenv')) ?? '';
    assert.match(lens, /^⚠ (definite|likely|possible) race · APP_STAGE = "step\d+"/);
    assert.ok(lens.length <= 90, `${lens.length} characters: ${lens}`);
    const md = await v.hover(RACY, 'os.Getenv("APP_STAGE")');
    const sections = md.split('\n\n');
    assert.match(sections[0], /^\*\*APP\\?_STAGE\*\*/);
    assert.match(sections[1], /^\*\*Observed\*\*/, 'the values come right after the key');
    assert.equal(md.match(/race on APP/g)?.length, 1, md);
    const callers = sections.slice(sections.findIndex((x) => x.startsWith('Callers'))).slice(0, 2).join('\n');
    assert.ok(!/runtime\.goexit|proc\.go/.test(callers), callers);
  });
});

describe('static lenses before any run', () => {
  let v: Views;
  let stop: () => Promise<number | null>;

  before(async () => ({ v, stop } = await serveMergeWorkspace([])));
  after(async () => assert.equal(await stop(), 0));

  test('no "no other sites"; another site in the same file is named by its line', async () => {
    assert.equal(await v.lens(OPS, 'os.Setenv("STAGE"'), 'STAGE · unset on line 13');
    assert.equal(await v.lens(OPS, 'os.Unsetenv("STAGE")'), 'STAGE · set on line 12');
    assert.equal(await v.lens(OPS, 'syscall.Getenv("OPS_LEVEL")'), 'OPS_LEVEL');
  });
});
