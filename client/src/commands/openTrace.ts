/** "envtrace: Open Trace": a run's text trace in an editor, highlighted by the envtrace-trace grammar. */
import * as vscode from 'vscode';
import { runCli } from '../cli';
import type { EnvtraceContext } from '../context';
import { firstLine } from '../runStore';
import { findRun, pickRun } from './pickRun';

export const TRACE_LANGUAGE = 'envtrace-trace';

/** Creates the handler; `run` (an id or directory) skips the picker. Resolves to the opened document. */
export function openTraceCommand(ctx: EnvtraceContext) {
  return async (runId?: string): Promise<vscode.TextDocument | undefined> => {
    const shown = await ctx.shownRuns();
    const run = runId ? await findRun(ctx, runId) : shown.length === 1 ? shown[0] : await pickRun(ctx, 'Open the trace of…');
    if (!run) return undefined;
    const r = await runCli(ctx.extension.extensionPath, ['report', '--format', 'text', run.dir], run.folder);
    if (r.code !== 0) {
      void vscode.window.showErrorMessage(`envtrace: cannot open the trace: ${firstLine(r.stderr) || `envtrace report exited with ${r.code}`}`);
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument({ language: TRACE_LANGUAGE, content: r.stdout || r.stderr });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  };
}
