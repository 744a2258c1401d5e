import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CodeLens, SymbolInformation } from 'vscode-languageserver-protocol';
import { copyFixture, LspClient, removeDir, repoRoot, uriOf } from './lspClient';

test('`envtrace lsp --stdio` serves the same language server from the CLI bundle', async () => {
  const dir = copyFixture('basic');
  const client = LspClient.start('cli');
  try {
    const started = process.hrtime.bigint();
    const init = await client.initialize(dir);
    await client.indexed();
    console.log(`# initial index via envtrace lsp --stdio: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)} ms`);
    assert.equal(init.serverInfo?.name, 'envtrace');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(join(dir, 'server.go')) } });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['PORT · read in 2 places · set in main_test.go']);
    const symbols = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'HOST' });
    assert.deepEqual(symbols.map((s) => s.name), ['HOST']);
  } finally {
    assert.equal(await client.stop(), 0);
    removeDir(dir);
  }
});

test('`envtrace lsp` without a transport is a usage error naming the right call', () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'lsp'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'envtrace: lsp needs a transport: envtrace lsp --stdio\n');
});
