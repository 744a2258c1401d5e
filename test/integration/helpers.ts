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

/** Titles of the code lenses of `rel` on the line containing `lineText` (every provider, resolved). */
export async function lensTitles(rel: string, lineText?: string): Promise<string[]> {
  const uri = vscode.Uri.file(path.join(workspaceRoot(), rel));
  const doc = await vscode.workspace.openTextDocument(uri);
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  const line = lineText === undefined ? undefined : positionOf(doc, lineText).line;
  return lenses.filter((l) => line === undefined || l.range.start.line === line).map((l) => l.command?.title ?? '');
}

/** The text of the hovers at `needle` (+offset) in `rel`. */
export async function hoverText(rel: string, needle: string, offset = 0): Promise<string> {
  const uri = vscode.Uri.file(path.join(workspaceRoot(), rel));
  const doc = await vscode.workspace.openTextDocument(uri);
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, positionOf(doc, needle, offset))) ?? [];
  const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  // Hover Markdown escapes its text (DATABASE\_URL): compare against the text a person reads.
  return md.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');
}

/** Runs under envtrace the way the command does, and returns its result. */
export async function traceRun(command: string[], env: Record<string, string> = {}): Promise<{ exitCode: number | undefined; cancelled: boolean }> {
  const r = await vscode.commands.executeCommand<{ exitCode: number | undefined; cancelled: boolean } | false>('envtrace.run', { command, env });
  if (!r) throw new Error('envtrace.run refused to run');
  return r;
}

/** The absolute directory of the stored run `id`. */
export function runDir(id: string): string {
  return path.join(workspaceRoot(), '.envtrace', 'runs', id);
}
