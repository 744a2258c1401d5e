// One diagnostics publisher over real JSON-RPC: the runtime layer (unset reads of the shown run)
// and the `.env` layer (a required key no .env file defines) both put diagnostics on the same Go
// file; a publish by either layer keeps the other's; the `.env` hover shows the runs the editor
// shows (the runtime's, one copy per server). The runs are recorded by the real CLI on
// test/fixtures/libs (caarlos0/env from the module cache, see scripts/download-go-modules.sh).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { RunsChangedNotification, type RunsChangedParams, type RunsResult } from '../../server/src/protocol';
import { hoverMarkdown, unescapeMarkdown } from './assertions';
import { LspClient, removeDir, repoRoot, uriOf } from './lspClient';

const MAIN = 'caarlos/main.go';
const SET = ['PORT', 'DATABASE_URL', 'API_TOKEN', 'DB_HOST'];

/** `envtrace --label L -- go run ./caarlos` in `app`; the keys the program reads are unset unless given. */
function record(app: string, label: string, env: Record<string, string>): Promise<number | null> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SET.includes(k)));
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), '--quiet', '--label', label, '--', 'go', 'run', './caarlos'], {
    cwd: app,
    env: { ...clean, ...env },
    stdio: 'ignore',
  });
  return new Promise((res, rej) => {
    child.on('error', rej);
    child.on('exit', (code) => res(code));
  });
}

describe('diagnostics of the runtime and .env layers on one Go file', () => {
  let work: string;
  let app: string;
  let client: LspClient;
  const codes = (): string[] => {
    const all = client.received.filter((m) => m.method === 'textDocument/publishDiagnostics').map((m) => m.params as PublishDiagnosticsParams);
    const last = all.filter((p) => p.uri === uriOf(join(app, MAIN))).pop()?.diagnostics ?? [];
    return last.map((d: Diagnostic) => `${d.range.start.line + 1}:${String(d.code)}`);
  };
  const waitCodes = async (want: string[], what: string) => {
    await client.waitFor(() => JSON.stringify(codes()) === JSON.stringify(want), `${what} (last: ${JSON.stringify(codes())})`);
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'envtrace-diagmerge-'));
    app = join(work, 'libs');
    cpSync(join(repoRoot, 'test', 'fixtures', 'libs'), app, { recursive: true });
    writeFileSync(join(app, '.env'), 'PORT=1234\n');
    assert.equal(await record(app, 'first', { PORT: '9000', DB_HOST: 'db.local' }), 0);
    client = LspClient.start('server');
    await client.initialize(app, { dynamicWatchers: false });
    await client.indexed();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    removeDir(work);
  });

  test('both kinds arrive together: unset reads (runtime) and the required key defined nowhere (.env)', { timeout: 60_000 }, async () => {
    await waitCodes(['13:envtrace.unset', '14:envtrace.unset', '13:envtrace.requiredUnset'], 'runtime and .env diagnostics together');
  });

  test('a .env edit republishes its layer only: the runtime diagnostics stay', { timeout: 60_000 }, async () => {
    const uri = uriOf(join(app, '.env'));
    await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dotenv', version: 1, text: 'PORT=1234\nDATABASE_URL=postgres://db/app\n' } });
    await waitCodes(['13:envtrace.unset', '14:envtrace.unset'], 'the required warning gone, the unset reads kept');
    await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'PORT=1234\n' }] });
    await waitCodes(['13:envtrace.unset', '14:envtrace.unset', '13:envtrace.requiredUnset'], 'the required warning back');
  });

  test('a new run republishes the runtime layer only: the .env warning stays', { timeout: 120_000 }, async () => {
    const runs = readdirSync(join(app, '.envtrace', 'runs')).length;
    assert.equal(await record(app, 'second', { PORT: '9000', DB_HOST: 'db.local', API_TOKEN: 'token-value-123' }), 0);
    assert.equal(readdirSync(join(app, '.envtrace', 'runs')).length, runs + 1);
    await client.waitFor(
      () => client.received.some((m) => m.method === RunsChangedNotification.method && (m.params as RunsChangedParams).shown.some((r) => r.label === 'second')),
      'envtrace/runsChanged with the second run',
    );
    await waitCodes(['13:envtrace.unset', '13:envtrace.requiredUnset'], 'API_TOKEN no longer unset, the required warning kept');
  });

  test('the .env hover shows the runs the editor shows: a new run, then an older one chosen', { timeout: 120_000 }, async () => {
    const env = uriOf(join(app, '.env'));
    const portHover = async () => unescapeMarkdown(hoverMarkdown(await client.request<Hover>('textDocument/hover', { textDocument: { uri: env }, position: { line: 0, character: 1 } })));
    assert.equal(await record(app, 'third', { PORT: '7000', DB_HOST: 'db.local' }), 0);
    await client.waitFor(
      () => client.received.some((m) => m.method === RunsChangedNotification.method && (m.params as RunsChangedParams).shown.some((r) => r.label === 'third')),
      'envtrace/runsChanged with the third run',
    );
    assert.match(await portHover(), /observed "7000"/);
    const { runs } = await client.request<RunsResult>('envtrace/runs', {});
    const first = runs.find((r) => r.label === 'first');
    assert.ok(first, JSON.stringify(runs.map((r) => r.label)));
    await client.request<RunsResult>('envtrace/showRuns', { ids: [first.id] });
    const hover = await portHover();
    assert.match(hover, /observed "9000"/);
    assert.doesNotMatch(hover, /7000/);
  });
});
