import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { copyFixture, LspClient, removeDir, uriOf } from './lspClient';

test('a Go file opened without a workspace folder gets its module indexed', async () => {
  const dir = copyFixture('basic');
  const client = LspClient.start('server');
  try {
    await client.initialize(null);
    await client.open(join(dir, 'server.go'));
    await client.indexed();
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(join(dir, 'server.go')) } });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['PORT · read in 2 places · set in main_test.go']);
  } finally {
    assert.equal(await client.stop(), 0);
    removeDir(dir);
  }
});
