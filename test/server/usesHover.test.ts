import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { InventoryRequest, type InventoryResult } from '../../server/src/protocol';
import { hoverMarkdown, unescapeMarkdown } from './assertions';
import { LspClient, positionOf, removeDir, uriOf } from './lspClient';

describe('hover: where a value goes, its role and risk (issue 15)', () => {
  let dir: string;
  let client: LspClient;
  const file = (rel: string) => join(dir, rel);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'envtrace-uses-'));
    cpSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'uses'), dir, { recursive: true });
    client = LspClient.start('server');
    await client.initialize(dir);
    await client.indexed();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    removeDir(dir);
  });

  const hoverAt = async (rel: string, needle: string) => {
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uriOf(file(rel)) }, position: positionOf(readFileSync(file(rel), 'utf8'), needle, 2) });
    return hoverMarkdown(h);
  };

  test('a DSN password: used as, with a link to the use, role credential, risk high and why', async () => {
    const md = await hoverAt('ginapi/main.go', '"DB_PASS"');
    const plain = unescapeMarkdown(md);
    assert.match(plain, /Used as:\n\n- DSN password → sqlx\.Connect \(\[ginapi\/main\.go:24\]/);
    assert.ok(md.includes(`(${uriOf(file('ginapi/main.go'))}#L24,`), md);
    assert.match(plain, /Role: credential · Risk: \*\*HIGH\*\*/);
    assert.match(plain, /R2 unchecked-credential: DB_PASS is used as password → sqlx\.Connect/);
  });

  test('a secret printed with log.Printf is critical; a struct field read in another package has its uses', async () => {
    assert.match(unescapeMarkdown(await hoverAt('ginapi/main.go', '"API_KEY"')), /Risk: \*\*CRITICAL\*\*[\s\S]*R1 secret-to-output: API_KEY reaches log\.Printf/);
    const plain = unescapeMarkdown(await hoverAt('stdapi/config/config.go', 'ListenAddr'));
    assert.match(plain, /addr → http\.Server\.Addr \(\[stdapi\/main\.go:46\]/);
  });

  test('the inventory (Environment view) carries each key\'s role and risk', async () => {
    const inv = await client.request<InventoryResult>(InventoryRequest.method, {});
    const risk = (name: string) => inv.keys.find((k) => k.name === name)?.risk;
    assert.deepEqual({ ...risk('DB_PASS'), reasons: undefined }, { role: 'credential', risk: 'high', reasons: undefined });
    assert.equal(risk('UPSTREAM_TOKEN')?.risk, 'critical');
    assert.equal(risk('UNUSED_SETTING')?.risk, 'unknown');
  });

  test('a key with no use shows no role or risk', async () => {
    const plain = unescapeMarkdown(await hoverAt('echoapi/main.go', 'Unused'));
    assert.doesNotMatch(plain, /Used as|Risk:/);
  });
});
