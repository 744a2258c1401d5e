/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, hoverText, lensTitles, open, runDir, storedRuns, traceRun, waitFor, workspaceRoot } from '../helpers';

const secret = 'postgres://shop:hunter2-s3cret@db:5432/shop';

describe('Run with envtrace', () => {
  before(async () => {
    await activate();
    await open('main.go');
  });

  it('runs go run . as an envtrace task and stores a run', async () => {
    const before = storedRuns().length;
    const r = await traceRun(['go', 'run', '.'], { PORT: '9090', DATABASE_URL: secret });
    assert.deepEqual(r, { exitCode: 0, cancelled: false });
    assert.equal(storedRuns().length, before + 1);
  });

  it('updates the status bar with the run\'s counts', async () => {
    const api = await activate();
    const text = await waitFor('the status bar counts', async () => {
      const t = await api.statusText();
      return /envtrace: \d+ keys? · \d+ unset · \d+ races?/.test(t) ? t : undefined;
    });
    assert.match(text, /· 1 unset ·/, 'REGION was read while unset');
  });

  it('shows the observed values in the lenses, with the secret redacted', async () => {
    const port = await waitFor('the observed PORT lens', async () => {
      const t = await lensTitles('main.go', 'getenv("PORT", "8080")');
      return t.find((x) => x.includes('"9090"'));
    });
    assert.match(port, /PORT/);
    const db = await waitFor('the redacted DATABASE_URL lens', async () => {
      const t = await lensTitles('main.go', 'os.Getenv("DATABASE_URL")');
      return t.find((x) => x.includes('•••'));
    });
    assert.ok(!db.includes('hunter2'));
    const region = await lensTitles('main.go', 'os.LookupEnv("REGION")');
    assert.ok(region.some((t) => /unset/.test(t)), region.join(' | '));
  });

  it('hovers with the observed value', async () => {
    const text = await waitFor('a hover with 9090', async () => {
      const h = await hoverText('main.go', 'getenv("PORT", "8080")', 2);
      return h.includes('9090') ? h : undefined;
    });
    assert.ok(!text.includes('hunter2'));
  });

  it('never writes the secret into the run directory', () => {
    const id = storedRuns().sort().at(-1) ?? '';
    for (const f of fs.readdirSync(runDir(id))) {
      assert.ok(!fs.readFileSync(path.join(runDir(id), f), 'utf8').includes('hunter2'), f);
    }
  });

  it('traces one test from its lens command with go test -run', async () => {
    const before = new Set(storedRuns());
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'main_test.go'));
    const r = await vscode.commands.executeCommand('envtrace.traceTest', uri, 'TestPort');
    assert.deepEqual(r, { exitCode: 0, cancelled: false });
    const added = storedRuns().filter((d) => !before.has(d));
    assert.equal(added.length, 1);
    const run = JSON.parse(fs.readFileSync(path.join(runDir(added[0]), 'run.json'), 'utf8'));
    assert.deepEqual(run.command, ['go', 'test', '-run', '^TestPort$', '.']);
  });

  it('reruns the last run', async () => {
    const n = storedRuns().length;
    const r = await vscode.commands.executeCommand('envtrace.rerun');
    assert.deepEqual(r, { exitCode: 0, cancelled: false });
    assert.equal(storedRuns().length, n + 1);
  });

  it('stops a running run, which is still stored', async () => {
    const before = new Set(storedRuns());
    const running = vscode.commands.executeCommand<{ cancelled: boolean }>('envtrace.run', { command: ['/bin/sh', '-c', 'sleep 300'] });
    // The CLI writes run.json as it starts the command: then it is surely running.
    const id = await waitFor('the run directory', () => storedRuns().find((d) => !before.has(d)));
    assert.equal(await vscode.commands.executeCommand('envtrace.stop'), 1);
    const r = await running;
    assert.equal(r.cancelled, true);
    const info = await waitFor('run.json with an end', () => {
      const j = JSON.parse(fs.readFileSync(path.join(runDir(id), 'run.json'), 'utf8'));
      return j.end ? j : undefined;
    });
    assert.notEqual(info.exitCode, 0);
  });

});
