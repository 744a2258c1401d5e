/** "envtrace: Compare Runs": pick two runs, show `envtrace diff` as a Markdown document with links to the sites. */
import * as vscode from 'vscode';
import { runCli } from '../cli';
import { firstLine } from '../runStore';
import type { EnvtraceContext } from '../context';
import { escapeMarkdown, linkifyLine } from '../markdown';
import { findRun, pickRun } from './pickRun';

/** Creates the handler; `a` and `b` (run ids or directories) skip the pickers. Resolves to the opened document. */
export function compareRunsCommand(ctx: EnvtraceContext) {
  return async (a?: string, b?: string): Promise<vscode.TextDocument | undefined> => {
    const all = await ctx.allRuns();
    if (all.length < 2 && !(a && b)) {
      void vscode.window.showInformationMessage('envtrace: comparing needs two stored runs.');
      return undefined;
    }
    const first = a ? await findRun(ctx, a) : await pickRun(ctx, 'Compare runs: the first (older) run', all);
    if (!first) return undefined;
    const second = b ? await findRun(ctx, b) : await pickRun(ctx, `Compare ${first.label} with…`, all.filter((r) => r.dir !== first.dir));
    if (!second) return undefined;
    const text = await diffText(ctx, first.dir, second.dir, first.folder);
    if (typeof text !== 'string') {
      void vscode.window.showErrorMessage(`envtrace: cannot compare: ${text.error}`);
      return undefined;
    }
    const lines = text.split('\n').filter((l) => l.trim());
    const body = [
      `# envtrace: ${escapeMarkdown(first.label)} → ${escapeMarkdown(second.label)}`,
      '',
      `${escapeMarkdown(first.id)} → ${escapeMarkdown(second.id)}`,
      '',
      ...(lines.length ? lines.map((l) => `- ${linkifyLine(l, first.folder)}`) : ['No differences.']),
      '',
    ].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: body });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  };
}

/** The diff as text: from the server's `envtrace/diff` (sites from its index), else from `envtrace diff`. */
async function diffText(ctx: EnvtraceContext, a: string, b: string, folder: string): Promise<string | { error: string }> {
  const fromServer = await ctx.server.request<{ text?: string }>('envtrace/diff', { a, b, folderUri: vscode.Uri.file(folder).toString() });
  if (typeof fromServer?.text === 'string') return fromServer.text;
  const r = await runCli(ctx.extension.extensionPath, ['diff', '--format', 'text', a, b], folder);
  // envtrace diff exits 1 when the runs differ; anything else without output is an error.
  if (r.code > 1 || (r.code !== 0 && !r.stdout.trim())) return { error: firstLine(r.stderr) || `envtrace diff exited with ${r.code}` };
  return r.stdout;
}
