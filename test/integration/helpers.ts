/// <reference types="mocha" />
/** Helpers shared by the integration tests: the extension's API, waiting for conditions, fixture paths. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EnvtraceApi } from '../../client/src/extension';

export const extensionId = 'envtrace.envtrace';

/** The workspace folder the launcher opened (a temp copy of test/fixtures/client/app). */
export function workspaceRoot(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('the tests need a workspace folder');
  return f.uri.fsPath;
}

/** Activates the extension (if needed) and returns its API. */
export async function activate(): Promise<EnvtraceApi> {
  const ext = vscode.extensions.getExtension<EnvtraceApi>(extensionId);
  if (!ext) throw new Error(`extension ${extensionId} is not installed`);
  return ext.activate();
}

/** Polls `check` until it returns a truthy value (or throws after `limitMs`, naming `what`). */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens a file of the workspace in an editor. */
export async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(path.join(workspaceRoot(), rel));
  return vscode.window.showTextDocument(doc);
}

/** The run directories stored in the workspace's default runs directory. */
export function storedRuns(): string[] {
  const dir = path.join(workspaceRoot(), '.envtrace', 'runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'run.json'))) : [];
}

/** The 0-based position of the first occurrence of `needle` in `doc` (plus `offset` characters). */
export function positionOf(doc: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  if (i < 0) throw new Error(`${needle} not found in ${doc.uri.fsPath}`);
  return doc.positionAt(i + offset);
}
