import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GraphRequest, type GraphResult } from '../../server/src/protocol';
import { LspClient, positionOf, removeDir, uriOf } from './lspClient';

/** `from → to` for every edge, by labels. */
function edgeLabels(g: GraphResult): string[] {
  const label = (id: string) => g.nodes.find((n) => n.id === id)?.label ?? `?${id}`;
  return g.edges.map((e) => `${label(e.from)} → ${label(e.to)}`).sort();
}

describe('envtrace/graph: the dependency graph of a Gin + sqlx service (issue 15)', () => {
  let dir: string;
  let client: LspClient;
  const file = (rel: string) => join(dir, ...rel.split('/'));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'envtrace-graph-'));
    cpSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'client', 'orders'), dir, { recursive: true });
    client = LspClient.start('server');
    await client.initialize(dir);
    await client.indexed();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    removeDir(dir);
  });

  test('the workspace: keys → functions → sinks, each node coloured by its risk, with the document to open', async () => {
    const g = await client.request<GraphResult>(GraphRequest.method, {});
    const key = (k: string) => g.nodes.find((n) => n.id === `key:${k}`);
    assert.deepEqual(
      g.nodes.filter((n) => n.kind === 'key').map((n) => `${n.label} ${n.role} ${n.risk}`).sort(),
      ['DB_HOST database low', 'DB_PASS credential high', 'DB_USER database medium', 'GIN_MODE mode low', 'ORDERS_RECEIPTS_DIR path low', 'PAYMENT_API_TOKEN credential critical', 'PAYMENT_URL url medium', 'PORT listen low', 'WORKERS number medium'],
    );
    assert.deepEqual({ ...key('DB_PASS'), reasons: undefined }, { id: 'key:DB_PASS', kind: 'key', label: 'DB_PASS', role: 'credential', risk: 'high', reasons: undefined, file: 'store/db.go', line: 15, column: 10, uri: uriOf(file('store/db.go')) });
    assert.match(key('PAYMENT_API_TOKEN')!.reasons![0], /^R1 secret-to-output: PAYMENT_API_TOKEN reaches log\.Printf \(main\.go:34\)$/);
    const edges = edgeLabels(g);
    for (const e of [
      'DB_PASS → store.Open',
      'store.Open → sqlx.Connect (user, password, host)',
      'PAYMENT_API_TOKEN → main.main',
      'PAYMENT_API_TOKEN → payments.(*Client).Charge',
      'main.main → log.Printf',
      'payments.(*Client).Charge → Header.Set("Authorization") (auth header)',
      'ORDERS_RECEIPTS_DIR → main.main',
      'main.main → os.MkdirAll',
      'WORKERS → main.main',
      'main.main → strconv.Atoi (number)',
    ]) {
      assert.ok(edges.includes(e), `${e} in\n${edges.join('\n')}`);
    }
    const log = g.nodes.find((n) => n.label === 'log.Printf')!;
    assert.deepEqual([log.kind, log.sink, log.risk, log.line, log.uri], ['sink', 'output', 'critical', 34, uriOf(file('main.go'))]);
    assert.equal(g.edges.find((e) => e.to === log.id)?.risk, 'critical');
    assert.deepEqual(
      g.packages.map((p) => p.label),
      ['.', 'config', 'payments', 'store'],
    );
  });

  test('one package: its keys and the uses of its keys elsewhere, and the uses in it of other packages\' keys', async () => {
    const g = await client.request<GraphResult>(GraphRequest.method, { folderUri: uriOf(dir), package: 'payments' });
    assert.deepEqual(edgeLabels(g), [
      'PAYMENT_API_TOKEN → main.main',
      'PAYMENT_API_TOKEN → payments.(*Client).Charge',
      'PAYMENT_URL → main.main',
      'PAYMENT_URL → payments.(*Client).Charge',
      'main.main → log.Printf',
      'payments.(*Client).Charge → Header.Set("Authorization") (auth header)',
      'payments.(*Client).Charge → http.NewRequestWithContext (url)',
    ]);
  });

  test('an edit is in the next graph: a check of DB_PASS lowers its risk', async () => {
    const path = file('store/db.go');
    const text = await client.open(path);
    const at = positionOf(text, '\thost := os.Getenv', 0);
    await client.notify('textDocument/didChange', {
      textDocument: { uri: uriOf(path), version: 2 },
      contentChanges: [{ range: { start: at, end: at }, text: '\tif pass == "" {\n\t\treturn nil, errNoPassword\n\t}\n' }],
    });
    const g = await client.request<GraphResult>(GraphRequest.method, { folderUri: uriOf(dir), package: 'store' });
    const pass = g.nodes.find((n) => n.id === 'key:DB_PASS');
    assert.equal(pass?.risk, 'low', pass?.reasons?.join('; '));
    assert.equal(g.nodes.find((n) => n.id === 'key:DB_USER')?.risk, 'medium');
    assert.equal(g.nodes.find((n) => n.id === 'key:DB_HOST')?.line, 19);
  });
});
