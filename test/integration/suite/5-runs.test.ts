/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, runDir, storedRuns, traceRun, workspaceRoot } from '../helpers';

describe('runs: export, import, compare, open trace, clear', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'envtrace-it-runs-'));

  let first = '';
  let second = '';

  before(async () => {
    await activate();
    const known = new Set(storedRuns());
    await traceRun(['go', 'run', '.'], { PORT: '1111' });
    first = storedRuns().find((d) => !known.has(d)) ?? '';
    known.add(first);
    await traceRun(['go', 'run', '.'], { PORT: '2222', REGION: 'eu-west-1' });
    second = storedRuns().find((d) => !known.has(d)) ?? '';
    assert.ok(first && second, 'two new runs');
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('exports the JSON report of a run', async () => {
    const target = path.join(tmp, 'report.json');
    const out = await vscode.commands.executeCommand('envtrace.export', 'json', target, runDir(second));
    assert.equal(out, target);
    const report = JSON.parse(fs.readFileSync(target, 'utf8'));
    assert.equal(report.version, 1);
    const port = report.vars.find((v: { key: string }) => v.key === 'PORT');
    assert.deepEqual(port.values.map((v: { value: string }) => v.value), ['2222']);
  });

  it('exports a Markdown inventory with defaults, site links and no secret values', async () => {
    const target = path.join(tmp, 'ENVIRONMENT.md');
    await vscode.commands.executeCommand('envtrace.export', 'markdown', target);
    const md = fs.readFileSync(target, 'utf8');
    assert.match(md, /^# Environment of app/);
    assert.match(md, /\| `PORT` \| "8080" \|/);
    assert.match(md, /\]\([^)]*main\.go#L\d+\)/);
    assert.ok(!md.includes('hunter2'));
  });

  it('imports a JSON report as a run kept in the store', async () => {
    const file = await vscode.commands.executeCommand<string>('envtrace.importRun', path.join(tmp, 'report.json'));
    assert.ok(file && fs.existsSync(file), String(file));
    assert.equal(path.dirname(file), path.join(workspaceRoot(), '.envtrace', 'imports'));
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).id, second);
  });

  it('compares an imported report with a stored run', async () => {
    const file = path.join(workspaceRoot(), '.envtrace', 'imports', `${second}.json`);
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('envtrace.compareRuns', runDir(first), file);
    assert.ok(doc);
    assert.match(doc.getText(), /1111/);
  });

  it('refuses a file that is not a report, keeping the runs', async () => {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, '{"hello": 1}');
    const n = storedRuns().length;
    assert.equal(await vscode.commands.executeCommand('envtrace.importRun', bad), undefined);
    assert.equal(storedRuns().length, n);
  });

  it('compares two runs as a Markdown document with links to the sites', async () => {
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('envtrace.compareRuns', runDir(first), runDir(second));
    assert.ok(doc);
    assert.equal(doc.languageId, 'markdown');
    assert.match(doc.getText(), /^# envtrace: /);
    assert.match(doc.getText(), /PORT/);
    assert.match(doc.getText(), /1111/);
    assert.match(doc.getText(), /2222/);
  });

  it('opens the text trace highlighted as envtrace-trace', async () => {
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('envtrace.openTrace', runDir(second));
    assert.ok(doc);
    assert.equal(doc.languageId, 'envtrace-trace');
    assert.match(doc.getText(), /\[(GETENV|LOOKUP)\] main\.go:\d+ → /);
  });

  it('clears every run', async () => {
    const n = await vscode.commands.executeCommand('envtrace.clearRuns', { confirmed: true });
    assert.ok(typeof n === 'number' && n > 0);
    assert.deepEqual(storedRuns(), []);
    assert.deepEqual(fs.readdirSync(path.join(workspaceRoot(), '.envtrace', 'imports')), []);
    const api = await activate();
    assert.match(await api.statusText(), /no runs/);
    assert.ok(fs.existsSync(workspaceRoot()));
  });
});
