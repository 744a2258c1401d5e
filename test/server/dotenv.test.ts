import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeLens, Diagnostic, Hover, Location, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { hoverMarkdown, titlesByLine, unescapeMarkdown } from './assertions';
import { copyFixture, LspClient, positionOf, removeDir, uriOf } from './lspClient';

describe('language server: .env files', () => {
  let dir: string;
  let client: LspClient;
  const file = (rel: string) => join(dir, rel);
  const text = (rel: string) => readFileSync(file(rel), 'utf8');
  const at = (rel: string, needle: string, offset = 0, nth = 0) => ({ textDocument: { uri: uriOf(file(rel)) }, position: positionOf(text(rel), needle, offset, nth) });
  const msg = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : '');
  const lastDiagnostics = (rel: string): Diagnostic[] | undefined => {
    const all = client.received.filter((m) => m.method === 'textDocument/publishDiagnostics').map((m) => m.params as PublishDiagnosticsParams);
    return all.filter((p) => p.uri === uriOf(file(rel))).pop()?.diagnostics;
  };
  const where = (locs: Location[] | null) => (locs ?? []).map((l) => `${l.uri.slice(uriOf(dir).length + 1)}:${l.range.start.line + 1}`).sort();

  before(async () => {
    dir = copyFixture('dotenv');
    client = LspClient.start('server');
    const caps = (await client.initialize(dir)).capabilities;
    assert.equal(caps.definitionProvider, true);
    await client.indexed();
    await client.waitFor(() => lastDiagnostics('.env') !== undefined, '.env diagnostics');
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    removeDir(dir);
  });

  test('a lens on each .env key names its readers', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(file('.env')) } });
    const titles = titlesByLine(lenses);
    assert.equal(titles.get(1), 'PORT · read in main.go');
    assert.equal(titles.get(2), 'API_TOKEN · read in main.go');
    assert.equal(titles.get(3), 'UNUSED_FLAG · not read by any site');
    assert.equal(titles.get(6), 'REGION · read in config.go');
    const port = lenses.find((l) => l.range.start.line === 1)!;
    assert.equal(port.command?.command, 'envtrace.showSites');
    assert.deepEqual(where((port.command!.arguments as [string, unknown, Location[]])[2]), ['main.go:11']);
  });

  test('go-to-definition from a read (a Getenv call or a struct field) lists the .env definitions', async () => {
    assert.deepEqual(where(await client.request<Location[]>('textDocument/definition', at('main.go', 'os.Getenv("PORT")', 3))), ['.env:2', 'config/.env.test:1']);
    assert.deepEqual(where(await client.request<Location[]>('textDocument/definition', at('config/config.go', 'Region'))), ['.env:7']);
    assert.equal(await client.request('textDocument/definition', at('config/config.go', 'DatabaseURL')), null);
    assert.deepEqual(where(await client.request<Location[]>('textDocument/definition', at('.env', '${HOST}', 2))), ['.env:5']);
  });

  test('references from a .env key are the sites that read it (plus the definitions when asked)', async () => {
    const p = at('.env', 'PORT=');
    assert.deepEqual(where(await client.request<Location[]>('textDocument/references', { ...p, context: { includeDeclaration: false } })), ['main.go:11']);
    assert.deepEqual(where(await client.request<Location[]>('textDocument/references', { ...p, context: { includeDeclaration: true } })), ['.env:2', 'config/.env.test:1', 'main.go:11']);
    assert.deepEqual(where(await client.request<Location[]>('textDocument/references', { ...at('.env', 'REGION='), context: { includeDeclaration: false } })), ['config/config.go:7']);
  });

  test('the hover at a read shows the .env definitions, with secret values redacted', async () => {
    const port = unescapeMarkdown(hoverMarkdown(await client.request<Hover>('textDocument/hover', at('main.go', 'os.Getenv("PORT")', 3))));
    assert.match(port, /Defined in \.env files \(2\)/);
    assert.match(port, /\.env:2\]\([^)]*\) — PORT=8080/);
    assert.match(port, /\.env\.test:1\]\([^)]*\) — PORT=9090/);
    const token = unescapeMarkdown(hoverMarkdown(await client.request<Hover>('textDocument/hover', at('main.go', 'os.Getenv("API_TOKEN")', 3))));
    assert.match(token, /API_TOKEN=••• \(12 chars\)/);
    assert.ok(!token.includes('s3cr3t'), token);
    const key = unescapeMarkdown(hoverMarkdown(await client.request<Hover>('textDocument/hover', at('.env', 'REGION'))));
    assert.match(key, /\*\*REGION\*\* — read in config\.go/);
    assert.match(key, /config\/config\.go:7/);
  });

  test('a Hint on .env keys that no site reads (a key used by ${VAR} counts as read)', () => {
    const diags = lastDiagnostics('.env')!;
    assert.deepEqual(diags.map((d) => [d.range.start.line, d.severity, d.code]), [
      [3, 4, 'envtrace.dotenvUnused'],
      [5, 4, 'envtrace.dotenvUnused'],
    ]);
    assert.match(msg(diags[0]), /UNUSED_FLAG is not read/);
  });

  test('an edit of the .env document updates lenses and diagnostics', async () => {
    const uri = uriOf(file('.env'));
    const edited = text('.env').replace('UNUSED_FLAG=1', 'PORT_OTHER=1\nSTILL_UNUSED=2');
    await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dotenv', version: 1, text: edited } });
    await client.waitFor(() => (lastDiagnostics('.env') ?? []).some((d) => msg(d).startsWith('STILL_UNUSED')), 'new diagnostics');
    assert.deepEqual(lastDiagnostics('.env')!.map((d) => msg(d).split(' ')[0]), ['PORT_OTHER', 'STILL_UNUSED', 'URL']);
    const titles = titlesByLine(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }));
    assert.equal(titles.get(4), 'STILL_UNUSED · not read by any site');
  });

  test('a .env file changed on disk is read again (the open .env document keeps its edited text)', async () => {
    writeFileSync(file('config/.env.test'), 'PORT=9090\nREGION=ap-south-1\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file('config/.env.test')), type: 2 }] });
    // The server re-reads the file asynchronously: ask until the answer changes (bounded).
    let defs: string[] = [];
    for (let i = 0; i < 500 && defs.length < 2; i++) defs = where(await client.request<Location[]>('textDocument/definition', at('config/config.go', 'Region')));
    assert.deepEqual(defs, ['.env:8', 'config/.env.test:2']);
  });
});
