/// <reference types="mocha" />
import * as vscode from 'vscode';
import { activate, lensTitles, waitFor } from '../helpers';

describe('settings', () => {
  before(() => activate());

  it('envtrace.codeLens.enabled=false removes the trace lenses and the key lenses', async () => {
    const cfg = vscode.workspace.getConfiguration('envtrace');
    await cfg.update('codeLens.enabled', false, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('trace lenses gone', async () => ((await lensTitles('main_test.go')).includes('trace test') ? undefined : true), 10_000);
      await waitFor('key lenses gone', async () => ((await lensTitles('main.go')).length === 0 ? true : undefined), 30_000);
    } finally {
      await cfg.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('trace lenses back', async () => ((await lensTitles('main_test.go')).includes('trace test') ? true : undefined), 10_000);
  });
});
