/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, hoverText, lensTitles, storedRuns, waitFor } from '../helpers';

describe('untrusted workspace', () => {
  it('is opened in restricted mode and the extension still activates', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const api = await activate();
    assert.equal(api.log.name, 'envtrace');
  });

  it('refuses "Run with envtrace" and stores no run', async () => {
    const result = await vscode.commands.executeCommand('envtrace.run', { command: ['go', 'run', '.'] });
    assert.equal(result, false);
    assert.deepEqual(storedRuns(), []);
  });

  it('refuses to trace a test or rerun, and stores no run', async () => {
    const uri = vscode.Uri.file(`${vscode.workspace.workspaceFolders?.[0]?.uri.fsPath}/main_test.go`);
    assert.equal(await vscode.commands.executeCommand('envtrace.traceTest', uri, 'TestPort'), false);
    assert.equal(await vscode.commands.executeCommand('envtrace.tracePackageTests', uri), false);
    assert.equal(await vscode.commands.executeCommand('envtrace.rerun'), false);
    assert.deepEqual(storedRuns(), []);
  });

  it('shows no trace lenses above tests', async () => {
    const uri = vscode.Uri.file(`${vscode.workspace.workspaceFolders?.[0]?.uri.fsPath}/main_test.go`);
    await vscode.workspace.openTextDocument(uri);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    assert.deepEqual(lenses.filter((l) => l.command?.command.startsWith('envtrace.trace')), []);
  });
});

describe('untrusted workspace: the static scan still works', () => {
  it('shows the lens of a Getenv line and its hover', async () => {
    const titles = await waitFor('a lens on the DATABASE_URL line', async () => {
      const t = await lensTitles('main.go', 'os.Getenv("DATABASE_URL")');
      return t.some((x) => x.includes('DATABASE_URL')) ? t : undefined;
    });
    assert.ok(titles.length > 0);
    assert.match(await hoverText('main.go', 'os.Getenv("DATABASE_URL")', 4), /DATABASE_URL/);
  });
});

describe('untrusted workspace: the editor says what Restricted Mode turns off', () => {
  it('status bar and a notice name what is disabled and how to trust', async () => {
    const api = await activate();
    const status = await api.statusText();
    assert.match(status, /Restricted Mode/);
    const notice = api.lastNotice();
    assert.match(notice, /Run with envtrace/);
    assert.match(notice, /trace test/);
    assert.match(notice, /trust/i);
  });
});
