/**
 * "envtrace: Compare Runs": pick two runs, show `envtrace diff` rendered (Markdown preview of a
 * read-only `envtrace:` document), the older run first, with both runs' exit status.
 */
import * as vscode from 'vscode';
import { runCli } from '../cli';
import { firstLine } from '../runStore';
import type { EnvtraceContext } from '../context';
import { compareMarkdown } from '../compareMarkdown';
import { findRun, olderFirst, pickRun } from './pickRun';
import { showComparePanel } from '../webviews/comparePanel';
import type { RunDiff } from '../../../server/src/analysis/diff';
import type { ServiceDiff } from '../../../server/src/analysis/fleetDiff';

/**
 * Creates the handler; `a` and `b` (run ids or directories, in any order) skip the pickers.
 * Resolves to the rendered document (also shown as a Markdown preview).
 */
export function compareRunsCommand(ctx: EnvtraceContext) {
  return async (a?: string | { run?: { dir: string } }, b?: string): Promise<vscode.TextDocument | undefined> => {
    // From an Environment view run item: that run is the first of the two.
    if (typeof a === 'object') a = a?.run?.dir;
    const all = await ctx.allRuns();
    if (all.length < 2 && !(a && b)) {
      void vscode.window.showInformationMessage('envtrace: comparing needs two stored runs.');
      return undefined;
    }
    // Enter, Enter compares the previous run with the newest one.
    const first = a ? await findRun(ctx, a) : await pickRun(ctx, 'Compare runs (1/2): the older run', all, all[1]);
    if (!first) return undefined;
    const rest = all.filter((r) => r.dir !== first.dir);
    const second = b ? await findRun(ctx, b) : await pickRun(ctx, `Compare runs (2/2): compare ${first.label || first.id} with…`, rest, rest.find((r) => (r.start ?? 0) >= (first.start ?? 0)) ?? rest[0]);
    if (!second) return undefined;
    const [older, newer] = olderFirst(first, second);
    const fromServer = await ctx.server.request<{ text?: string; diff?: RunDiff; services?: ServiceDiff[] }>('envtrace/diff', { a: older.dir, b: newer.dir, folderUri: vscode.Uri.file(older.folder).toString() });
    const text = typeof fromServer?.text === 'string' ? fromServer.text : await cliDiffText(ctx, older.dir, newer.dir, older.folder);
    if (typeof text !== 'string') {
      void vscode.window.showErrorMessage(`envtrace: cannot compare: ${text.error}`);
      return undefined;
    }
    const doc = await ctx.documents.open(`/compare/${older.id} → ${newer.id}.md`, compareMarkdown(older, newer, text), older.folder);
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
    // The same comparison as a table beside it (when the server computed it).
    if (fromServer?.diff) showComparePanel(ctx.extension.extensionUri, fromServer.diff, older.folder, fromServer.services);
    return doc;
  };
}

/** The diff as text from `envtrace diff`, when the server cannot answer. */
async function cliDiffText(ctx: EnvtraceContext, a: string, b: string, folder: string): Promise<string | { error: string }> {
  const r = await runCli(ctx.extension.extensionPath, ['diff', '--format', 'text', a, b], folder);
  // envtrace diff exits 1 when the runs differ; anything else without output is an error.
  if (r.code > 1 || (r.code !== 0 && !r.stdout.trim())) return { error: firstLine(r.stderr) || `envtrace diff exited with ${r.code}` };
  return r.stdout;
}
