import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol';
import { IndexChangedNotification, InventoryRequest, type InventoryResult } from '../../server/src/protocol';
import { hoverMarkdown, titlesByLine, unescapeMarkdown } from './assertions';
import { copyFixture, LspClient, positionOf, removeDir, repoRoot, uriOf } from './lspClient';

describe('language server keeps its index up to date', () => {
  let dir: string;
  let client: LspClient;
  const file = (rel: string) => join(dir, rel);
  const lenses = (rel: string) => client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(file(rel)) } });
  const serverLens = async () => titlesByLine(await lenses('server.go')).get(positionOf(readFileSync(file('server.go'), 'utf8'), 'return os.Getenv').line);
  const inventory = () => client.request<InventoryResult>(InventoryRequest.method, {});
  /** Waits for the next envtrace/indexChanged after `action`. */
  const changed = async (action: () => Promise<void>) => {
    const before = client.received.filter((m) => m.method === IndexChangedNotification.method).length;
    await action();
    await client.waitFor(() => client.received.filter((m) => m.method === IndexChangedNotification.method).length > before, 'envtrace/indexChanged');
  };

  before(async () => {
    dir = copyFixture('basic');
    client = LspClient.start('server');
    await client.initialize(dir);
    await client.indexed();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    removeDir(dir);
  });

  test('an edit through didChange updates the lenses and hovers of the edited and of other files', async () => {
    const uri = uriOf(file('main.go'));
    const main = await client.open(file('main.go'));
    assert.equal(await serverLens(), 'PORT · read in 2 places · set in main_test.go');
    const at = positionOf(main, '"PORT", "8080"', 1);
    await changed(() =>
      client.notify('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: at, end: { line: at.line, character: at.character + 4 } }, text: 'LISTEN_PORT' }],
      }),
    );
    const edited = titlesByLine(await lenses('main.go'));
    assert.equal(edited.get(at.line), 'LISTEN_PORT');
    assert.equal(await serverLens(), 'PORT · read in config.go · set in main_test.go');
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: at });
    assert.match(unescapeMarkdown(hoverMarkdown(h)), /\*\*LISTEN_PORT\*\* — read · main\.getenv/);

    // Closing without saving: the disk's text is the truth again.
    await changed(() => client.notify('textDocument/didClose', { textDocument: { uri } }));
    assert.equal(await serverLens(), 'PORT · read in 2 places · set in main_test.go');
  });

  test('a file created on disk is indexed after workspace/didChangeWatchedFiles, and forgotten when deleted', async () => {
    const path = file('extra.go');
    writeFileSync(path, 'package main\n\nimport "os"\n\nfunc extra() string { return os.Getenv("PORT") + os.Getenv("EXTRA") }\n');
    await changed(() => client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path), type: 1 }] }));
    assert.equal(await serverLens(), 'PORT · read in 3 places · set in main_test.go');
    assert.ok((await inventory()).keys.some((k) => k.name === 'EXTRA'));

    rmSync(path);
    await changed(() => client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path), type: 3 }] }));
    assert.equal(await serverLens(), 'PORT · read in 2 places · set in main_test.go');
    assert.ok(!(await inventory()).keys.some((k) => k.name === 'EXTRA'));
  });

  test('a directory deleted or created on disk, reported only as the directory, is dropped or indexed', async () => {
    const config = file('config');
    rmSync(config, { recursive: true });
    await changed(() => client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 3 }] }));
    assert.equal(await serverLens(), 'PORT · read in main.go · set in main_test.go');
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspaces', 'basic', 'config'), config, { recursive: true });
    await changed(() => client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 1 }] }));
    assert.equal(await serverLens(), 'PORT · read in 2 places · set in main_test.go');
  });

  test('non-UTF-8 files, vanished files and garbage documents never take the server down', async () => {
    const latin = file('latin1.go');
    const bytes = Buffer.concat([
      Buffer.from('package main\n\nimport "os"\n\n// caf'),
      Buffer.from([0xe9, 0xff, 0xfe]),
      Buffer.from('\nfunc latin() string { return os.Getenv("LATIN") }\n'),
    ]);
    writeFileSync(latin, bytes);
    const gone = file('gone.go');
    await changed(() =>
      client.notify('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: uriOf(latin), type: 1 },
          { uri: uriOf(gone), type: 2 },
          { uri: 'untitled:Untitled-1', type: 1 },
        ],
      }),
    );
    const keys = (await inventory()).keys.map((k) => k.name);
    assert.ok(keys.includes('LATIN'), keys.join(','));

    const junkUri = uriOf(file('junk.go'));
    // didOpen is handled before the next request: no need to wait for a change notice.
    await client.notify('textDocument/didOpen', {
      textDocument: { uri: junkUri, languageId: 'go', version: 1, text: '\u0000package }}} os.Getenv("JUNK" ((( \uFFFF\n'.repeat(50) },
    });
    const junk = await lenses('junk.go');
    assert.ok(Array.isArray(junk));
    const outside = await client.request<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri: 'file:///nowhere/else.go' } });
    assert.deepEqual(outside, []);
    assert.equal(client.proc.exitCode, null);
  });

  test('untrusted text in a key is escaped in the hover markdown', async () => {
    const uri = uriOf(file('evil.go'));
    const text = 'package main\n\nimport "os"\n\nfunc evil() { os.Getenv("[x](command:workbench.action.quit) <img src=x>`y`") }\n';
    await changed(() => client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } }));
    const md = hoverMarkdown(await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'os.Getenv') }));
    assert.ok(!md.includes('[x](command:'), md);
    assert.doesNotMatch(md, /(?<!\\)[<[`]/, 'every <, [ and ` is escaped');
    assert.ok(md.includes('\\[x\\]\\(command\\:workbench\\.action\\.quit\\) \\<img src\\=x\\>\\`y\\`'), md);
  });

  test('a changed go.mod re-resolves constants imported from other packages of the module', async () => {
    const goMod = file('go.mod');
    const original = readFileSync(goMod, 'utf8');
    const main = readFileSync(file('main.go'), 'utf8');
    const regionLine = positionOf(main, 'config.RegionKey)').line;
    assert.equal(titlesByLine(await lenses('main.go')).get(regionLine), 'REGION');
    writeFileSync(goMod, original.replace('example.com/basic', 'example.com/renamed'));
    await changed(() => client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(goMod), type: 2 }] }));
    assert.equal(titlesByLine(await lenses('main.go')).get(regionLine), 'dynamic key · a traced run shows which keys');
    writeFileSync(goMod, original);
    await changed(() => client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(goMod), type: 2 }] }));
    assert.equal(titlesByLine(await lenses('main.go')).get(regionLine), 'REGION');
  });

  test('workspace folders added and removed at run time are indexed with progress and dropped', async () => {
    const second = copyFixture('second');
    try {
      const ends = () => client.progress.filter((p) => (p.value as { kind: string }).kind === 'end').length;
      const endsBefore = ends();
      const filesBefore = (await inventory()).files;
      const mark = client.received.length;
      const folder = { uri: uriOf(second), name: 'second' };
      await client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
      await client.waitFor(() => ends() > endsBefore, 'progress of the added folder');
      await client.waitFor(
        () =>
          client.received.slice(mark).some((m) => {
            const p = m.params as { files: number; indexing: boolean };
            return m.method === IndexChangedNotification.method && p.files === filesBefore + 1 && !p.indexing;
          }),
        'the added folder in the index',
      );
      assert.equal(await serverLens(), 'PORT · read in 3 places · set in main_test.go');
      const inv = await client.request<InventoryResult>(InventoryRequest.method, { folderUri: folder.uri });
      assert.deepEqual(inv.keys.map((k) => k.name), ['PORT', 'QUEUE_URL']);
      assert.equal(inv.files, 1);
      await changed(() => client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } }));
      assert.equal(await serverLens(), 'PORT · read in 2 places · set in main_test.go');
    } finally {
      removeDir(second);
    }
  });

  test('code lenses follow the envtrace.codeLens.enabled setting, re-read after a configuration change', async () => {
    client.settings = { codeLens: { enabled: false } };
    await changed(() => client.notify('workspace/didChangeConfiguration', { settings: null }));
    assert.deepEqual(await lenses('server.go'), []);
    client.settings = {};
    await changed(() => client.notify('workspace/didChangeConfiguration', { settings: null }));
    assert.equal((await lenses('server.go')).length, 1);
  });
});
