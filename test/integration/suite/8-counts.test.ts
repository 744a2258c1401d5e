/// <reference types="mocha" />
// Issue 18 item 4: one run's key count is the same on every screen — the status bar, the
// terminal summary (the CLI), the Environment view's process node, the JSON report and the
// exported inventory — and leaves out the Go runtime's own start-up reads.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, extensionId, runDir, storedRuns, traceRun, waitFor, workspaceRoot } from '../helpers';

describe('one key count everywhere', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'envtrace-it-counts-'));
  let id = '';

  before(async () => {
    await activate();
    const known = new Set(storedRuns());
    assert.equal((await traceRun(['go', 'run', '.'], { PORT: '9090' })).exitCode, 0);
    id = storedRuns().find((d) => !known.has(d)) ?? '';
    assert.ok(id);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('status bar, terminal summary, process node, JSON report and inventory agree', async () => {
    const api = await activate();
    // The fixture reads PORT (through getenv), REGION and DATABASE_URL; GODEBUG & co. are the runtime's.
    const status = await waitFor('the status bar counts', async () => {
      const t = await api.statusText();
      return /envtrace: \d+ keys? · \d+ unset · \d+ races?/.test(t) ? t : undefined;
    });
    const [, k, unset, races] = /envtrace: (\d+) keys? · (\d+) unset · (\d+) races?/.exec(status)!;
    const keys = Number(k);
    assert.equal(keys, 3, status);
    const glance = `${keys} keys read · ${unset} unset · ${races} races`;

    const ext = vscode.extensions.getExtension(extensionId)!;
    const cli = spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), 'report', '--format', 'text', '--quiet', runDir(id)], {
      cwd: workspaceRoot(),
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    assert.ok(cli.stdout.startsWith(`envtrace: ${glance} (`), cli.stdout + cli.stderr);

    const runNode = (await api.viewItems('Runs')).find((r) => r.description.includes('exit'));
    assert.ok(runNode, 'a run in the view');
    const processes = await api.viewItems('Runs', runNode.label);
    assert.equal(processes.length, 1, JSON.stringify(processes));
    assert.match(processes[0].description, new RegExp(`· ${keys} keys$`));

    const json = path.join(tmp, 'report.json');
    await vscode.commands.executeCommand('envtrace.export', 'json', json, runDir(id));
    assert.deepEqual(JSON.parse(fs.readFileSync(json, 'utf8')).counts, { keys, unset: Number(unset), races: Number(races), processes: 1 });

    const md = path.join(tmp, 'ENVIRONMENT.md');
    await vscode.commands.executeCommand('envtrace.export', 'markdown', md, runDir(id));
    const inventory = fs.readFileSync(md, 'utf8');
    assert.ok(inventory.includes(`read ${keys} keys · ${unset} unset · ${races} races`), inventory.slice(0, 400));
    assert.ok(!/\| `GODEBUG` \|/.test(inventory), 'the runtime\'s keys are not the program\'s');
  });
});
