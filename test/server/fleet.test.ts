// A fleet run (OTLP JSON of 13 pods imported with the engine of `envtrace import`) in the real
// language server over JSON-RPC: the lens says how PORT's values spread, the hover which pods
// and services saw which value.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importRuns } from '../../server/src/runs/import/importRuns';
import { DiffRequest, ImportRunRequest, type DiffResult } from '../../server/src/protocol';
import { fleetLines } from '../unit/otlpFixtures';
import { unescapeMarkdown } from './assertions';
import { LspClient, removeDir } from './lspClient';
import { Views } from './runtimeSupport';

const MAIN = 'main.go';
const SOURCE = 'package main\n\nimport "os"\n\nfunc main() {\n\tport := os.Getenv("PORT")\n\t_ = port\n}\n';

describe('language server with a fleet run', () => {
  let app: string;
  let client: LspClient;
  let v: Views;
  let fleet: string;

  before(async () => {
    app = join(mkdtempSync(join(tmpdir(), 'envtrace-fleet-')), 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
    writeFileSync(join(app, MAIN), SOURCE);
    const otlp = join(app, '..', 'collector.json');
    writeFileSync(otlp, fleetLines(12, { file: join(app, MAIN), line: 6 }).join('\n') + '\n');
    fleet = (await importRuns([otlp], { store: join(app, '.envtrace'), label: 'prod' })).run.dir;
    client = LspClient.start('server');
    v = new Views(client, app);
    await client.initialize(app);
    await client.indexed();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    removeDir(join(app, '..'));
  });

  test('the lens counts processes, pods and processes per value', async () => {
    assert.equal(await v.lens(MAIN, 'port :='), 'PORT · 13 processes on 13 pods · "8080" ×10 · unset ×2 · "9090" ×1');
  });

  test('importing the stored fleet run as well (as Import Run… does) loads it once', async () => {
    await client.request(ImportRunRequest.method, { path: fleet });
    assert.equal(await v.lens(MAIN, 'port :='), 'PORT · 13 processes on 13 pods · "8080" ×10 · unset ×2 · "9090" ×1');
  });

  test('envtrace/diff of the fleet with a local report compares per service', async () => {
    const local = join(app, '..', 'local.json');
    writeFileSync(local, JSON.stringify({
      version: 1, id: 'local-1', label: 'laptop', command: ['go', 'run', '.'], cwd: app, exitCode: 0, runDir: '', goVersion: null,
      processes: [{ pid: 4242, ppid: 1, parent: null, argv: ['main'], cwd: app, start: 1, end: 2 }], stacks: { '1': [{ function: 'main.main', file: join(app, MAIN), line: 6 }] },
      events: [{ seq: 1, pid: 4242, goroutine: 1, parentGoroutine: 0, time: 1.5, op: 'getenv', api: 'os.Getenv', key: 'PORT', found: true, value: '8080', redacted: false, file: join(app, MAIN), line: 6, function: 'main.main', stack: '1' }],
      vars: [], counts: { keys: 1, unset: 0, races: 0, processes: 1 }, problems: { badLines: 0, lostEvents: 0, unreadableFiles: 0, notes: [] },
    }));
    const r = await client.request<DiffResult>(DiffRequest.method, { a: fleet, b: local });
    assert.deepEqual(r.services?.map((s) => [s.service, s.a?.processes, s.b?.processes, s.keys.map((k) => k.key)]), [['api', 12, 1, []], ['worker', 1, 1, ['PORT']]]);
    assert.match(r.text, /^\[worker\] A: 1 process on pod shop\/worker-0 · B: 1 process\n  ~ PORT  values changed: "9090" \(×3\) → "8080" \(×1\)$/m);
  });

  test('the hover lists which pods of which service saw each value', async () => {
    const text = unescapeMarkdown(await v.hover(MAIN, 'os.Getenv("PORT")', 4));
    assert.match(text, /\*\*Fleet\*\* — 13 processes on 13 pods, 2 services/);
    assert.match(text, /^- "8080" — 10 processes: \*\*api\*\* on api-0, api-1, api-2, api-3, api-4, api-5, \+4 more$/m);
    assert.match(text, /^- unset — 2 processes: \*\*api\*\* on api-10, api-11$/m);
    assert.match(text, /^- "9090" — 1 process: \*\*worker\*\* on worker-0$/m);
    assert.match(text, /\| "8080" \| 30 \| 10 \|/, 'the value table counts the aggregated reads');
  });
});
