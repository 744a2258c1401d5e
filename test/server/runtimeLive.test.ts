import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RunsChangedNotification, type RunsChangedParams } from '../../server/src/protocol';
import { unescapeMarkdown } from './assertions';
import { LspClient, removeDir, repoRoot } from './lspClient';
import { mergeWorkspace, Views } from './runtimeSupport';

const HELPER = 'cmd/helper/main.go';
const SECRET = 'live-s3cret-value-0451';

/** Runs `envtrace -- go run ./cmd/helper` in `app` with a minimal environment; resolves with its exit status. */
function traceHelper(app: string): Promise<number | null> {
  const goenv = (name: string) => execFileSync('go', ['env', name], { encoding: 'utf8' }).trim();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GOCACHE: goenv('GOCACHE'),
    GOMODCACHE: goenv('GOMODCACHE'),
    GOPATH: goenv('GOPATH'),
    GOTOOLCHAIN: 'local',
    PORT: '6060',
    DB_PASSWORD: SECRET,
  };
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), '--quiet', '--label', 'live', '--', 'go', 'run', './cmd/helper'], { cwd: app, env, stdio: 'ignore' });
  return new Promise((res, rej) => {
    child.on('error', rej);
    child.on('exit', (code) => res(code));
  });
}

describe('a run recorded while the server runs (editor without file-watcher registration)', () => {
  let app: string;
  let client: LspClient;
  let v: Views;

  before(async () => {
    app = mergeWorkspace([]);
    client = LspClient.start('server');
    v = new Views(client, app);
    await client.initialize(app, { dynamicWatchers: false });
    await client.indexed();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    removeDir(join(app, '..'));
  });

  test('envtrace -- go run: the server sees the completed run through its own watcher and shows the observed values', { timeout: 300_000 }, async () => {
    assert.equal(await v.lens(HELPER, 'port := getenv'), 'PORT · read in 3 places', 'without runs: the static lens');
    assert.equal((await v.hints(HELPER)).size, 0, 'without runs: no inlay hints');

    assert.equal(await traceHelper(app), 0);
    // The run is complete once the CLI exits; the server's fs.watch fallback must notice it.
    await client.waitFor(
      () => client.received.some((m) => m.method === RunsChangedNotification.method && (m.params as RunsChangedParams).shown.some((r) => r.label === 'live')),
      'envtrace/runsChanged with the live run',
    );
    assert.equal(await v.lens(HELPER, 'port := getenv'), 'PORT = "6060" · 1 read · 1 process');
    assert.equal(await v.lens(HELPER, 'region := getenv'), 'REGION unset → default "eu-west-1"');
    assert.match((await v.lens(HELPER, 'DB_PASSWORD')) ?? '', new RegExp(`^DB_PASSWORD = ••• \\(${SECRET.length} chars\\) · 1 read · 1 process$`));
    const hints = await v.hints(HELPER);
    assert.equal(hints.get(v.line(HELPER, 'port := getenv')), '= "6060"');
    assert.equal(hints.get(v.line(HELPER, 'DB_PASSWORD')), '= •••');
    assert.match(unescapeMarkdown(await v.hover(HELPER, 'getenv("PORT"')), /\| "6060" \| 1 \| 1 \|$/m);
    await v.waitDiagnostics(HELPER, (d) => d.some((x) => x.code === 'envtrace.unset'));
    const everything = [...v.responses, JSON.stringify(client.received)].join('\n');
    assert.ok(!everything.includes(SECRET), 'the secret never reaches the client');
  });
});
