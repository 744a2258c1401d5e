import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RunsChangedNotification, RunsRequest, type RunsChangedParams, type RunsResult } from '../../server/src/protocol';
import { LspClient, removeDir } from './lspClient';
import { mergeFixtures, mergeWorkspace, Views } from './runtimeSupport';

const HELPER = 'cmd/helper/main.go';

describe('runtime settings: envtrace.runs.directory, envtrace.runs.show, envtrace.inlayHints.enabled', () => {
  let app: string;
  let client: LspClient;
  let v: Views;
  const lastShown = () => (client.received.filter((m) => m.method === RunsChangedNotification.method).pop()?.params as RunsChangedParams | undefined)?.shown ?? [];

  before(async () => {
    app = mergeWorkspace([]);
    // A store of its own, named by the setting (relative to the folder).
    for (const r of ['helper', 'helper-b', 'racy']) cpSync(join(mergeFixtures, 'runs', r), join(app, 'ci', '.envtrace', 'runs', r), { recursive: true });
    client = LspClient.start('server');
    client.settings = { runs: { show: 2, directory: 'ci' }, inlayHints: { enabled: false } };
    v = new Views(client, app);
    await client.initialize(app);
    await client.indexed();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    removeDir(join(app, '..'));
  });

  test('runs.show = 2 shows the two newest runs of the configured store; inlay hints are off', async () => {
    await client.waitFor(() => lastShown().length === 2, 'two runs shown');
    assert.deepEqual(lastShown().map((r) => r.label), ['racy', 'helper-b']);
    assert.equal(await v.lens(HELPER, 'port := getenv'), 'PORT = "7070" · 1 read · 1 process');
    assert.equal((await v.hints(HELPER)).size, 0);
    const { runs } = await client.request<RunsResult>(RunsRequest.method, {});
    assert.deepEqual(runs.map((r) => [r.label, r.shown]), [['racy', true], ['helper-b', true], ['helper', false]]);
    assert.equal(runs[2].counts, null, 'a run not shown is not loaded');
  });

  test('a changed setting (latest, hints on) applies after workspace/didChangeConfiguration', async () => {
    client.settings = { runs: { show: 'latest', directory: 'ci' } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor(() => lastShown().length === 1, 'one run shown');
    assert.equal(lastShown()[0].label, 'racy');
    // Not reached by racy: the newest earlier run that reached it says what it saw, named.
    assert.equal(await v.lens(HELPER, 'port := getenv'), 'PORT = "7070" · 1 read · 1 process · from an earlier run (helper-b)');
    assert.equal((await v.hints(HELPER)).get(v.line(HELPER, 'port := getenv')), '= "7070" (earlier run)');
    assert.match((await v.hints('cmd/racy/main.go')).get(v.line('cmd/racy/main.go', 'seen[os.Getenv')) ?? '', /^= "step\d+"$/);
  });
});
