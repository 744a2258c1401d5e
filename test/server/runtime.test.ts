import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import {
  DiffRequest,
  ImportRunRequest,
  RunsRequest,
  ShowRunsRequest,
  type DiffResult,
  type ImportRunResult,
  type RunsChangedParams,
  type RunsResult,
} from '../../server/src/protocol';
import { unescapeMarkdown } from './assertions';
import { LspClient, removeDir, uriOf } from './lspClient';
import { addRun, mergeFixtures, mergeWorkspace, Views } from './runtimeSupport';
import { recorderIdentity } from '../../server/src/runs/liveness';

const HELPER = 'cmd/helper/main.go';
const RACY = 'cmd/racy/main.go';
const runId = (name: string) => (JSON.parse(readFileSync(join(mergeFixtures, 'runs', name, 'run.json'), 'utf8')) as { id: string }).id;

describe('language server with recorded runs (helper + racy, envtrace.runs.show = all)', () => {
  let app: string;
  let client: LspClient;
  let v: Views;
  /** Runs `action` and waits for the envtrace/runsChanged it causes; returns that notification. */
  const runsChange = async (action: () => Promise<unknown>): Promise<RunsChangedParams> => {
    const n = v.runsChanged();
    await action();
    await client.waitFor(() => v.runsChanged() > n, 'envtrace/runsChanged');
    return client.received.filter((m) => m.method === 'envtrace/runsChanged').pop()!.params as RunsChangedParams;
  };

  before(async () => {
    app = mergeWorkspace(['helper', 'racy']);
    client = LspClient.start('server');
    client.settings = { runs: { show: 'all' } };
    v = new Views(client, app);
    await client.initialize(app);
    await client.indexed();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    removeDir(join(app, '..'));
  });

  test('helper: the value read inside getenv shows at the helper call site, in lens, inlay hint and hover', async () => {
    assert.equal(await v.lens(HELPER, 'port := getenv'), 'PORT = "9090" · 1 read · 1 process');
    assert.equal(await v.lens(HELPER, '_ = getenv("PORT"'), 'PORT = "9090" · 3 reads · 1 process');
    const hints = await v.hints(HELPER);
    assert.equal(hints.get(v.line(HELPER, 'port := getenv')), '= "9090"');
    assert.equal(hints.get(v.line(HELPER, '"APP_DEBUG",') + 1), '= "1"', 'a multi-line call gets its hint after the call');
    const md = await v.hover(HELPER, 'getenv("PORT"');
    const text = unescapeMarkdown(md);
    assert.match(text, /\| "9090" \| 1 \| 1 \|$/m);
    assert.match(md, /\[cmd\/helper\/main\\\.go\\:19\]\(file:\/\/\/[^)]*cmd\/helper\/main\.go#L19,1\)/, 'the caller is a link to main.go:19');
    assert.match(text, /From run: 20261126-232701-6ff92a \(helper\) — go run \.\/cmd\/helper/);
    assert.match(text, /Processes \(1\):\n\n- pid \d+: \S+helper/);
    assert.ok(!v.diagnostics(HELPER).some((d) => d.range.start.line === v.line(HELPER, 'port := getenv')), 'a read with a value has no diagnostic');
  });

  test('unset: REGION falls back to its default; DEBUG_LEVEL without default is an envtrace.unset diagnostic', async () => {
    assert.equal(await v.lens(HELPER, 'region := getenv'), 'REGION unset → default "eu-west-1"');
    assert.equal(await v.lens(HELPER, 'DEBUG_LEVEL'), 'DEBUG_LEVEL unset');
    const hints = await v.hints(HELPER);
    assert.equal(hints.get(v.line(HELPER, 'region := getenv')), '= "eu-west-1" (default)', 'the value the caller got');
    assert.equal(hints.get(v.line(HELPER, 'DEBUG_LEVEL')), '= unset');
    assert.match(unescapeMarkdown(await v.hover(HELPER, 'getenv("REGION"')), /Unset: 1 read found it unset \(default "eu-west-1"\)\./);
    const diags = await v.waitDiagnostics(HELPER, (d) => d.length > 0);
    const unset = diags.filter((d) => d.code === 'envtrace.unset');
    assert.deepEqual(
      unset.map((d) => [d.range.start.line, d.severity]),
      [[v.line(HELPER, 'DEBUG_LEVEL'), DiagnosticSeverity.Information]],
    );
    assert.match(unset[0].message as string, /DEBUG_LEVEL was unset/);
  });

  test('race: lens warning, Warning diagnostic with related information at the writer, hover with both sides', async () => {
    const readLine = v.line(RACY, 'seen[os.Getenv');
    const writeLine = v.line(RACY, 'os.Setenv("APP_STAGE", fmt.Sprint');
    assert.match((await v.lenses(RACY)).get(readLine) ?? '', /^⚠ (definite|likely|possible) race · APP_STAGE = "step\d+".* · 200 reads · 1 process$/);
    assert.match((await v.hints(RACY)).get(readLine) ?? '', /^= "step\d+"$/);
    const md = unescapeMarkdown(await v.hover(RACY, 'os.Getenv("APP_STAGE")'));
    assert.match(md, /⚠ \*\*(definite|likely|possible) race on APP_STAGE\*\*/);
    assert.match(md, /⚠ \*\*(definite|likely|possible) race on APP_STAGE\*\*: written by goroutine \d+ \(os\.Setenv\) at \[cmd\/racy\/main\.go:15\]\(file:[^)]*main\.go#L15,1\)/);
    const diags = await v.waitDiagnostics(RACY, (d) => d.some((x) => x.code === 'envtrace.race'));
    const race = diags.find((d) => d.code === 'envtrace.race' && d.range.start.line === readLine);
    assert.ok(race, 'the racy read has a race diagnostic');
    assert.equal(race.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(
      race.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]),
      [[uriOf(join(app, RACY)), writeLine]],
    );
  });

  test('secret: DB_PASSWORD is ••• with its length everywhere, its value nowhere', async () => {
    assert.equal(await v.lens(HELPER, 'DB_PASSWORD'), 'DB_PASSWORD = ••• (14 chars) · 1 read · 1 process');
    assert.equal((await v.hints(HELPER)).get(v.line(HELPER, 'DB_PASSWORD')), '= •••');
    assert.match(unescapeMarkdown(await v.hover(HELPER, 'os.Getenv("DB_PASSWORD"')), /\| ••• \(14 chars\) \| 1 \| 1 \|$/m);
    const runs = await client.request<RunsResult>(RunsRequest.method, {});
    const everything = [...v.responses, JSON.stringify(client.received), JSON.stringify(runs)].join('\n');
    assert.ok(!everything.includes('hunter2'), 'the secret value never leaves the server');
  });

  test('dynamic key: the keys it was called with are a Hint diagnostic', async () => {
    const diags = await v.waitDiagnostics(HELPER, (d) => d.some((x) => x.code === 'envtrace.keys'));
    const line = v.line(HELPER, 'os.Getenv(name)');
    const hint = diags.find((d) => d.code === 'envtrace.keys' && d.range.start.line === line);
    assert.equal(hint?.severity, DiagnosticSeverity.Hint);
    assert.equal(hint?.message, 'observed keys: FEATURE_1 (×1)');
  });

  test('envtrace/runs lists the stored runs with counts; envtrace/showRuns picks one; sites it did not reach say so', async () => {
    const { runs } = await client.request<RunsResult>(RunsRequest.method, {});
    assert.deepEqual(runs.map((r) => [r.label, r.kind, r.shown, r.complete, r.exitCode]).sort(), [
      ['helper', 'stored', true, true, 0],
      ['racy', 'stored', true, true, 0],
    ]);
    const racy = runs.find((r) => r.label === 'racy')!;
    assert.equal(racy.counts?.races, 1);
    assert.ok(racy.end && racy.start && racy.counts!.events > 400);

    const note = await runsChange(() => client.request(ShowRunsRequest.method, { ids: [runId('racy')] }));
    assert.deepEqual(note.shown.map((r) => r.label), ['racy']);
    assert.equal(note.counts.races, 1);
    // Not reached by racy: the newest earlier run that reached it (helper) shows, named as such.
    assert.equal(await v.lens(HELPER, 'port := getenv'), 'PORT = "9090" · 1 read · 1 process · from an earlier run (helper)');
    assert.equal((await v.hints(HELPER)).get(v.line(HELPER, 'port := getenv')), '= "9090" (earlier run)');
    assert.match(unescapeMarkdown(await v.hover(HELPER, 'getenv("PORT"')), /_Not reached in the shown run: from the newest earlier run that reached it\._[\s\S]*From run: 20261126-232701-6ff92a \(helper\)/);
    // Diagnostics speak of the shown run only.
    await v.waitDiagnostics(HELPER, (d) => d.length === 0);
    // A site no run reached says so.
    assert.equal(await v.lens('cmd/ops/main.go', 'os.Getenv("FEATURE_"'), 'FEATURE_* not reached in the shown run');

    const back = await runsChange(() => client.request(ShowRunsRequest.method, { mode: 'all' }));
    assert.equal(back.shown.length, 2);
    assert.equal(await v.lens(HELPER, 'port := getenv'), 'PORT = "9090" · 1 read · 1 process');
  });

  test('a run that completes in the store while the server runs is shown after the watched-file event', async () => {
    const dir = addRun(app, 'helper-b');
    const info = readFileSync(join(dir, 'run.json'), 'utf8');
    // Still being recorded: run.json has no `end` yet, and its envtrace (this test process) is alive.
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...JSON.parse(info), end: null, mode: 'run', ...recorderIdentity() }));
    const changed = (type: number) => client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(dir, 'run.json')), type }] });
    await changed(1);
    const during = (await client.request<RunsResult>(RunsRequest.method, {})).runs.find((r) => r.label === 'helper-b');
    assert.deepEqual([during?.complete, during?.shown, during?.counts], [false, false, null]);
    assert.equal(await v.lens(HELPER, 'port := getenv'), 'PORT = "9090" · 1 read · 1 process');
    writeFileSync(join(dir, 'run.json'), info);
    const note = await runsChange(() => changed(2));
    assert.equal(note.shown.length, 3);
    assert.match((await v.lens(HELPER, 'port := getenv')) ?? '', /^PORT = "(9090|7070)" \(\+1 other value\) · 2 reads · 2 processes$/);
    assert.match(unescapeMarkdown(await v.hover(HELPER, 'getenv("PORT"')), /\| "7070" \| 1 \| 1 \| 1 \|$/m);
  });

  test('envtrace/diff compares two runs per key, redacted values by hash', async () => {
    const r = await client.request<DiffResult>(DiffRequest.method, { a: join('.envtrace', 'runs', 'helper'), b: 'helper-b' });
    const port = r.diff.keys.find((k) => k.key === 'PORT');
    assert.ok(port?.valuesChanged);
    assert.deepEqual(port.a?.values.map((x) => x.value), ['9090']);
    assert.equal(r.diff.keys.find((k) => k.key === 'REGION')?.unsetIn, 'a');
    assert.ok(!r.diff.keys.some((k) => k.key === 'DB_PASSWORD'), 'equal secrets (same hash) do not differ');
    assert.match(r.text, /^~ PORT +values changed: "9090" \(×4\) → "7070" \(×4\)$/m);
    await assert.rejects(client.request(DiffRequest.method, { a: 'helper', b: 'no-such-run' }), /no-such-run/);
  });

  test('a corrupt run: the server survives, shows what it could read, and says so once in the hover', async () => {
    const dir = addRun(app, 'helper-b', 'corrupt');
    const file = readdirSync(dir).find((n) => n.endsWith('.jsonl'))!;
    appendFileSync(join(dir, file), 'this is not json\n{"t":"E","seq":99,"g":1,"op":"get\n{"t":"E","seq":100,"g":');
    await runsChange(() => client.request(ShowRunsRequest.method, { ids: [dir] }));
    assert.match((await v.lens(HELPER, 'port := getenv')) ?? '', /^PORT = "7070" · 1 read · 1 process$/);
    assert.match(unescapeMarkdown(await v.hover(HELPER, 'getenv("PORT"')), /_Note: part of the run data could not be read: .*\d+ unreadable lines? skipped/);
    const { runs } = await client.request<RunsResult>(RunsRequest.method, {});
    assert.match(runs.find((r) => r.source === dir)?.problem ?? '', /unreadable line/);
    assert.equal(client.proc.exitCode, null);
  });

  test('envtrace/importRun adds a report or a run directory; run data never becomes markdown', async () => {
    await runsChange(() => client.request(ShowRunsRequest.method, { ids: [runId('racy')] }));
    const report = await runsChange(() => client.request<ImportRunResult>(ImportRunRequest.method, { path: join(mergeFixtures, 'reports', 'helper-b.json') }));
    assert.ok(report.shown.some((r) => r.kind === 'imported' && r.label === 'helper-b'));
    assert.equal(await v.lens(HELPER, 'port := getenv'), 'PORT = "7070" · 1 read · 1 process');

    // A run whose PORT value is markdown with a command link.
    const evil = join(app, '..', 'evil');
    cpSync(join(mergeFixtures, 'runs', 'helper'), evil, { recursive: true });
    const file = readdirSync(evil).find((n) => n.endsWith('.jsonl'))!;
    writeFileSync(join(evil, file), readFileSync(join(evil, file), 'utf8').replaceAll('"v":"9090"', '"v":"[x](command:foo)"'));
    const imported = await client.request<ImportRunResult>(ImportRunRequest.method, { path: evil });
    assert.equal(imported.run.kind, 'imported');
    assert.equal(imported.run.shown, true);
    await client.waitFor(() => client.received.some((m) => m.method === 'envtrace/runsChanged' && JSON.stringify(m.params).includes(evil)), 'the import shown');
    const md = await v.hover(HELPER, 'getenv("PORT"');
    assert.ok(!/(^|[^\\])\[x\]\(command:foo\)/.test(md), 'no live link in the hover');
    assert.match(unescapeMarkdown(md), /\| "\[x\]\(command:foo\)" \| 1( \| 1)? \| 1 \|$/m);
    assert.match((await v.hints(HELPER)).get(v.line(HELPER, 'port := getenv')) ?? '', /^= "(\[x\]\(command:foo\)|7070)"$/);

    await assert.rejects(client.request(ImportRunRequest.method, { path: join(app, 'nothing-here.json') }), /does not exist/);
  });

  test('go test runs name the tests that read a key; a library call line gets the keys the library read', async () => {
    const gotest = addRun(app, 'gotest');
    const lib = addRun(app, 'lib');
    await runsChange(() => client.request(ShowRunsRequest.method, { ids: [gotest, lib] }));
    const md = unescapeMarkdown(await v.hover('cfg/cfg.go', 'os.LookupEnv("APP_REGION")'));
    assert.match(md, /\| unset \| 3 \| 3 \| TestGoroutine, TestParallel\/a, TestParallel\/b \|/);
    assert.match(md, /\| "us-east-1" \| 1 \| 1 \| TestRegion \|/);
    assert.match(md, /Callers \(\d+ distinct places? in the code, most frequent first\):\n\n- ×\d+: \[cfg\/cfg\.go:8\]/);
    assert.equal(await v.lens('cmd/lib/main.go', 'envlib.Parse'), 'reads APP_HOST through a library (×1)');
  });

  test('a run whose envtrace was killed is listed as interrupted and can be shown with what it recorded', async () => {
    const dir = addRun(app, 'helper-b', 'killed');
    const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...info, id: 'killed', end: null, exitCode: null, mode: 'run', ...recorderIdentity(), pid: gone }));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(dir, 'run.json')), type: 1 }] });
    const killed = (await client.request<RunsResult>(RunsRequest.method, {})).runs.find((r) => r.source === dir);
    assert.deepEqual([killed?.complete, killed?.interrupted, killed?.end], [true, true, null]);
    const others = (await client.request<RunsResult>(RunsRequest.method, {})).runs.filter((r) => r.source !== dir);
    assert.ok(others.length && others.every((r) => !r.interrupted), 'finished runs are not interrupted');
    await runsChange(() => client.request(ShowRunsRequest.method, { ids: [dir] }));
    const shown = (await client.request<RunsResult>(RunsRequest.method, {})).runs.find((r) => r.source === dir);
    assert.equal(shown?.shown, true);
    assert.ok((shown?.counts?.events ?? 0) > 0, 'what it recorded is loaded');
  });
});
