import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeLens, Hover, Location, SymbolInformation, WorkDoneProgressBegin } from 'vscode-languageserver-protocol';
import { InventoryRequest, ReindexRequest, ShowSitesCommand, type InventoryResult } from '../../server/src/protocol';
import { hoverMarkdown, titlesByLine, unescapeMarkdown } from './assertions';
import { copyFixture, LspClient, positionOf, removeDir, uriOf } from './lspClient';

describe('language server on the basic fixture workspace', () => {
  let dir: string;
  let client: LspClient;
  let capabilities: Record<string, unknown>;
  const file = (rel: string) => join(dir, rel);
  const text = (rel: string) => readFileSync(file(rel), 'utf8');

  before(async () => {
    dir = copyFixture('basic');
    client = LspClient.start('server');
    const started = process.hrtime.bigint();
    capabilities = (await client.initialize(dir)).capabilities as Record<string, unknown>;
    await client.indexed();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`# initial index of the basic fixture (initialize → progress end): ${ms.toFixed(1)} ms`);
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    removeDir(dir);
  });

  test('declares lenses, hovers, references, workspace symbols and incremental sync', () => {
    assert.deepEqual(capabilities.codeLensProvider, { resolveProvider: false });
    assert.equal(capabilities.hoverProvider, true);
    assert.equal(capabilities.referencesProvider, true);
    assert.equal(capabilities.workspaceSymbolProvider, true);
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
  });

  test('reports the initial scan through window/workDoneProgress', () => {
    assert.equal(client.progressTokens.length, 1);
    const token = client.progressTokens[0];
    const kinds = client.progress.filter((p) => p.token === token).map((p) => (p.value as { kind: string }).kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    const begin = client.progress[0].value as WorkDoneProgressBegin;
    assert.match(begin.title, /indexing Go files/);
  });

  test('puts a lens on each site line with the key and where else it is read or set', async () => {
    const main = text('main.go');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(file('main.go')) } });
    const titles = titlesByLine(lenses);
    const line = (needle: string) => positionOf(main, needle).line;
    assert.equal(titles.get(line('getenv("PORT"')), 'PORT · read in 2 places · set in main_test.go');
    assert.equal(titles.get(line('os.LookupEnv(key)')), 'dynamic key · a traced run shows which keys');
    assert.equal(titles.get(line('os.Getenv(hostKey)')), 'HOST');
    assert.equal(titles.get(line('os.Getenv(\n')), 'DEBUG · unset in main_test.go');
    assert.equal(titles.get(line('config.RegionKey)')), 'REGION');
    assert.equal(titles.get(line('"FEATURE_"')), 'FEATURE_*');
    assert.equal(titles.get(line('os.Setenv("STARTED"')), 'STARTED');
    assert.equal(lenses.length, 7, [...titles.values()].join('\n'));

    const port = lenses.find((l) => l.range.start.line === line('getenv("PORT"'))!;
    assert.equal(port.command?.command, ShowSitesCommand);
    const [uri, position, locations] = port.command!.arguments as [string, unknown, Location[]];
    assert.equal(uri, uriOf(file('main.go')));
    assert.deepEqual(position, positionOf(main, 'getenv("PORT"'));
    assert.deepEqual(locations.map((l) => l.uri).sort(), ['config/config.go', 'main_test.go', 'server.go'].map((r) => uriOf(file(r))).sort());
  });

  test('hovers on a helper call show key, api, default, function and the other sites as links', async () => {
    const uri = uriOf(file('main.go'));
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text('main.go'), '"PORT"', 2) });
    const md = hoverMarkdown(h);
    const plain = unescapeMarkdown(md);
    assert.match(plain, /\*\*PORT\*\* — read · main\.getenv/);
    assert.match(plain, /Default: "8080"/);
    assert.match(plain, /In function main\.main/);
    assert.match(plain, /Other sites of PORT \(3\)/);
    assert.ok(md.includes(`[config/config\\.go\\:10](${uriOf(file('config/config.go'))}#L10,9)`), md);
    assert.ok(md.includes(`[server\\.go\\:7](${uriOf(file('server.go'))}#L7,9)`), md);
    assert.match(plain, /\[main_test\.go:9\]\(.*#L9,2\) — set · testing\.T\.Setenv in main\.TestMain_port/);
  });

  test('hovers on a multi-line call anywhere inside it, and nowhere else', async () => {
    const uri = uriOf(file('main.go'));
    const main = text('main.go');
    const inside = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(main, '"DEBUG"', 1) });
    assert.match(unescapeMarkdown(hoverMarkdown(inside)), /\*\*DEBUG\*\* — read · os\.Getenv/);
    const outside = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(main, 'fmt.Println') });
    assert.equal(outside, null);
  });

  test('several sites on one line share one lens; each has its own hover inside the literal', async () => {
    const uri = uriOf(file('expand.go'));
    const expand = text('expand.go');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['HOME  |  APP_NAME']);
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(expand, 'APP_NAME', 2) });
    assert.match(unescapeMarkdown(hoverMarkdown(h)), /^\*\*APP_NAME\*\* — read · os\.ExpandEnv\n\nIn function main\.cacheDir\n\nNo other sites of APP_NAME\.$/);
  });

  test('a dynamic key is named as such, with its api and function', async () => {
    const uri = uriOf(file('main.go'));
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text('main.go'), 'os.LookupEnv', 4) });
    assert.equal(unescapeMarkdown(hoverMarkdown(h)), 'dynamic key — read · os.LookupEnv\n\nIn function main.getenv');
  });

  test('references from a site list every site of its key, honouring includeDeclaration', async () => {
    const uri = uriOf(file('server.go'));
    const position = positionOf(text('server.go'), 'os.Getenv("PORT")', 3);
    const all = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
    const rels = ['config/config.go', 'main.go', 'main_test.go', 'server.go'].map((r) => uriOf(file(r)));
    assert.deepEqual(all.map((l) => l.uri).sort(), rels.sort());
    const others = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: false } });
    assert.deepEqual(others.map((l) => l.uri).sort(), rels.filter((r) => r !== uri).sort());
  });

  test('workspace/symbol finds keys by substring and by subsequence', async () => {
    const port = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'port' });
    assert.deepEqual(new Set(port.map((s) => s.name)), new Set(['PORT']));
    assert.equal(port.length, 4);
    assert.ok(port.some((s) => s.containerName === 'set · testing.T.Setenv · main.TestMain_port'));
    const fuzzy = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'rgn' });
    assert.deepEqual(fuzzy.map((s) => s.name), ['REGION']);
    const pattern = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'feature' });
    assert.deepEqual(pattern.map((s) => s.name), ['FEATURE_*']);
  });

  test('envtrace/inventory returns every key with its sites, and skips vendor/', async () => {
    const inv = await client.request<InventoryResult>(InventoryRequest.method, {});
    const names = inv.keys.map((k) => k.name);
    assert.deepEqual(names, ['APP_NAME', 'BROKEN_KEY', 'DEBUG', 'FEATURE_*', 'HOME', 'HOST', 'PORT', 'REGION', 'STARTED']);
    const port = inv.keys.find((k) => k.name === 'PORT')!;
    assert.equal(port.isPattern, false);
    assert.equal(port.sites.length, 4);
    const helper = port.sites.find((s) => s.api === 'main.getenv')!;
    assert.equal(helper.default, '8080');
    assert.equal(helper.function, 'main.main');
    assert.equal(inv.keys.find((k) => k.name === 'FEATURE_*')!.isPattern, true);
    assert.ok(inv.other.some((s) => s.key === null && s.api === 'os.LookupEnv' && s.function === 'main.getenv'));
    assert.ok(!JSON.stringify(inv).includes('VENDORED'));
    assert.equal(inv.indexing, false);
    assert.equal(inv.files, 6); // main, server, main_test, expand, config/config, broken/broken
  });

  test('envtrace/reindex re-scans every folder from disk', async () => {
    const r = await client.request<{ files: number; sites: number }>(ReindexRequest.method, undefined);
    assert.deepEqual(r, { files: 6, sites: 14 });
  });

  test('a file that does not parse is indexed as far as it can be, and the server stays up', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(file('broken/broken.go')) } });
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [[positionOf(text('broken/broken.go'), 'os.Getenv').line, 'BROKEN_KEY']]);
    const h = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: uriOf(file('broken/broken.go')) },
      position: { line: 999, character: 999 },
    });
    assert.equal(h, null);
  });
});
