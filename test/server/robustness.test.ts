import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CodeLens, Hover, Location, LogMessageParams, Position } from 'vscode-languageserver-protocol';
import { copyFixture, LspClient, removeDir, uriOf } from './lspClient';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fragments = ['"', '`', '(', ')', '{', '}', 'os.Getenv(', 'os.', '\n', '/*', '*/', '//', ':= ', '+ "X_"', '\uFFFD', '\u{1F600}', 'func ', 'const k = "K"\n', ''];

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('200 random edits of a Go file never take the server down, every answer stays well-formed, and undoing them restores the lenses', async () => {
  const dir = copyFixture('basic');
  const client = LspClient.start('server');
  try {
    await client.initialize(dir);
    await client.indexed();
    const uri = uriOf(join(dir, 'main.go'));
    const original = await client.open(join(dir, 'main.go'));
    const titles = async () => (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).map((l) => l.command?.title);
    const before = await titles();
    let text = original;
    const rnd = random(20261126);
    for (let version = 2; version < 202; version++) {
      const start = Math.floor(rnd() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(rnd() * 12));
      const insert = fragments[Math.floor(rnd() * fragments.length)];
      const range = { start: positionAt(text, start), end: positionAt(text, end) };
      text = text.slice(0, start) + insert + text.slice(end);
      await client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert }] });
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.ok(Array.isArray(lenses), `codeLens after edit ${version}`);
      for (const l of lenses) assert.equal(typeof l.command?.title, 'string');
      const at = positionAt(text, Math.floor(rnd() * (text.length + 1)));
      const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at });
      assert.ok(h === null || typeof (h.contents as { value: string }).value === 'string');
      const refs = await client.request<Location[] | null>('textDocument/references', { textDocument: { uri }, position: at, context: { includeDeclaration: true } });
      assert.ok(refs === null || Array.isArray(refs));
    }
    assert.equal(client.proc.exitCode, null);
    // Back to the original text: the incremental index ends where a fresh scan starts.
    await client.notify('textDocument/didChange', { textDocument: { uri, version: 202 }, contentChanges: [{ text: original }] });
    assert.deepEqual(await titles(), before);
    assert.ok(before.includes('PORT · read in 2 places · set in main_test.go'));
    assert.doesNotMatch(client.received.map((m) => JSON.stringify(m.params)).join('\n'), /failed:/, 'no handler logged a failure');
  } finally {
    assert.equal(await client.stop(), 0);
    removeDir(dir);
  }
});

test('a file of 10,000 nested calls: the server indexes the folder, logs what it left out, and shows the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-deep-'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/deep\n\ngo 1.22\n');
  const deep = `${'f('.repeat(10000)}os.Getenv("DEEP")${')'.repeat(10000)}`;
  writeFileSync(join(dir, 'deep.go'), `package main\n\nimport "os"\n\nfunc f(s string) string { return s }\n\nfunc main() {\n\t_ = ${deep}\n\t_ = os.Getenv("SHALLOW")\n}\n`);
  const client = LspClient.start('server');
  try {
    await client.initialize(dir);
    await client.indexed();
    const logged = () => client.received.filter((m) => m.method === 'window/logMessage').map((m) => (m.params as LogMessageParams).message);
    await client.waitFor(() => logged().some((m) => m.startsWith('envtrace: deep.go: 1 place not scanned: syntax nested')), 'the note in the log');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(join(dir, 'deep.go')) } });
    assert.deepEqual(lenses.map((l) => l.range.start.line), [8]); // the SHALLOW read (0-based line)
  } finally {
    assert.equal(await client.stop(), 0);
    removeDir(dir);
  }
});
