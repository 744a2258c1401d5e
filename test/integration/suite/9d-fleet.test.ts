/// <reference types="mocha" />
// A fleet run in the editor: OTLP JSON of 13 pods (two files picked at once) imported with
// Import Run…, its processes grouped by service and pod in the Environment view, and the
// lens at the PORT read saying how the values spread.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, lensTitles, waitFor, workspaceRoot } from '../helpers';
import { fleetLines } from '../../unit/otlpFixtures';

describe('fleet runs: import OTLP JSON, the view groups by service and pod, lenses count pods', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'envtrace-it-fleet-'));
  let imported = '';

  after(async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    // The server shows an import until it restarts: leave none for the next tests.
    if (imported) fs.rmSync(imported, { recursive: true, force: true });
    assert.equal(await vscode.commands.executeCommand('envtrace.restartServer'), true);
  });

  it('imports two OTLP files as one run and groups its processes by service, then pod', async () => {
    const api = await activate();
    const lines = fleetLines(12, { file: path.join(workspaceRoot(), 'main.go'), line: 18 });
    const a = path.join(tmp, 'collector-a.json');
    const b = path.join(tmp, 'collector-b.json');
    fs.writeFileSync(a, lines.slice(0, 6).join('\n') + '\n');
    fs.writeFileSync(b, lines.slice(6).join('\n') + '\n');
    imported = (await vscode.commands.executeCommand<string>('envtrace.importRun', [a, b])) ?? '';
    assert.ok(imported && fs.existsSync(path.join(imported, 'run.json')), imported);
    const id = path.basename(imported);
    const services = await waitFor('the fleet run in the view', async () => {
      const items = await api.viewItems('Runs', id);
      return items.length ? items : undefined;
    });
    assert.deepEqual(services.map((s) => [s.label, s.description]), [['api', '12 processes on 12 pods'], ['worker', '1 process on 1 pod']]);
    const pods = await api.viewItems('Runs', id, 'api');
    assert.deepEqual(pods.slice(0, 3).map((p) => [p.label, p.description]), [['api-0', '1 process · on node-0'], ['api-1', '1 process · on node-1'], ['api-2', '1 process · on node-2']]);
    assert.equal(pods.length, 12);
    const procs = await api.viewItems('Runs', id, 'worker', 'worker-0');
    assert.deepEqual(procs.map((p) => p.description), ['pid 1 · 1 keys']);
  });

  it('the lens at the PORT read counts processes, pods and processes per value', async () => {
    const want = 'PORT · 13 processes on 13 pods · "8080" ×10 · unset ×2 · "9090" ×1';
    let last: string[] = [];
    const titles = await waitFor('the fleet lens', async () => {
      last = await lensTitles('main.go', 'port := getenv');
      return last.some((x) => x.includes(want)) ? last : undefined;
    }).catch((e: Error) => {
      throw new Error(`${e.message}; lenses: ${JSON.stringify(last)}`);
    });
    assert.ok(titles.some((x) => x.includes(want)), JSON.stringify(titles));
  });
});
