/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, open } from '../helpers';

describe('activation', () => {
  it('activates on a Go workspace and creates its log output channel', async () => {
    const api = await activate();
    assert.equal(api.log.name, 'envtrace');
    assert.equal(typeof api.log.info, 'function', 'a LogOutputChannel');
  });

  it('opens main.go as a Go document', async () => {
    const editor = await open('main.go');
    assert.equal(editor.document.languageId, 'go');
  });

  it('registers every command declared in package.json', async () => {
    const ext = vscode.extensions.getExtension('envtrace.envtrace');
    const declared: string[] = ext?.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), []);
  });
});
