/**
 * "envtrace: Open Trace": a run's text trace as a read-only `envtrace:` document, highlighted by
 * the envtrace-trace grammar, with every `file.go:N` a link to the site. Imported JSON reports
 * hold no trace lines and are not offered.
 */
import * as vscode from 'vscode';
import { runCli } from '../cli';
import type { EnvtraceContext } from '../context';
import { firstLine } from '../runStore';
import { findRun, pickRun } from './pickRun';

export const TRACE_LANGUAGE = 'envtrace-trace';

/** Creates the handler; `run` (an id or directory) skips the picker. Resolves to the opened document. */
export function openTraceCommand(ctx: EnvtraceContext) {
  return async (runId?: string): Promise<vscode.TextDocument | undefined> => {
    const stored = (await ctx.allRuns()).filter((r) => !r.imported);
    const shown = (await ctx.shownRuns()).filter((r) => !r.imported);
    const run = runId ? await findRun(ctx, runId) : shown.length === 1 ? shown[0] : await pickRun(ctx, 'Open the trace of…', stored);
    if (!run) return undefined;
    if (run.imported) {
      void vscode.window.showInformationMessage('envtrace: an imported JSON report has no trace lines; its values show in the lenses, hovers and "Compare Runs".');
      return undefined;
    }
    const r = await runCli(ctx.extension.extensionPath, ['report', '--format', 'text', run.dir], run.folder);
    if (r.code !== 0) {
      void vscode.window.showErrorMessage(`envtrace: cannot open the trace: ${firstLine(r.stderr) || `envtrace report exited with ${r.code}`}`);
      return undefined;
    }
    const doc = await ctx.documents.open(`/trace/${run.id}.envtrace`, r.stdout || r.stderr, run.cwd);
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  };
}
