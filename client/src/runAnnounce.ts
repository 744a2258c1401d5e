/** Says that a traced run has ended: how it ended and what it read, with the next steps as buttons. */
import * as vscode from 'vscode';
import { commandIds } from './commandIds';
import type { EnvtraceContext } from './context';
import { summarize, summaryText } from './report';
import type { RunOutcome } from './runner';

/** Shows one notification for an ended run (newest stored run of its folder); resolves to the text shown. */
export async function announceRun(ctx: EnvtraceContext, outcome: RunOutcome): Promise<string> {
  const runs = await ctx.allRuns();
  const folder = typeof outcome.task.scope === 'object' ? outcome.task.scope.uri.fsPath : undefined;
  const run = runs.find((r) => !r.imported && (!folder || r.folder === folder));
  const report = run ? await ctx.reports.report(run) : undefined;
  const counts = report && typeof report === 'object' ? `: ${summaryText(summarize(report))}` : '';
  const name = outcome.task.name;
  const buttons = run ? ['Open Trace', ...(runs.length > 1 ? ['Compare with Previous'] : [])] : [];
  let text: string;
  let shown: Thenable<string | undefined>;
  if (outcome.cancelled) {
    text = `envtrace: ${name} was stopped; its run is stored${counts}.`;
    shown = vscode.window.showInformationMessage(text, ...buttons);
  } else if (outcome.exitCode === 0) {
    text = `envtrace: ${name} finished${counts}.`;
    shown = vscode.window.showInformationMessage(text, ...buttons);
  } else {
    text = `envtrace: ${name} failed (exit ${outcome.exitCode ?? 'unknown'}); its run is stored${counts}.`;
    shown = vscode.window.showWarningMessage(text, ...buttons);
  }
  ctx.lastNotice = text;
  void shown.then((choice) => {
    if (!run || !choice) return;
    if (choice === 'Open Trace') void vscode.commands.executeCommand(commandIds.openTrace, run.dir);
    else {
      const previous = runs.find((r) => r !== run && r.folder === run.folder);
      if (previous) void vscode.commands.executeCommand(commandIds.compareRuns, previous.dir, run.dir);
    }
  });
  return text;
}
