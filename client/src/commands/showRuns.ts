/** "envtrace: Show Runs": the stored runs with their counts; choosing runs sets what the lenses show. */
import * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';
import { runItem } from './pickRun';

/** Creates the handler; resolves to the chosen run directories, or undefined when dismissed. */
export function showRunsCommand(ctx: EnvtraceContext) {
  return async (): Promise<string[] | undefined> => {
    const all = await ctx.allRuns();
    if (all.length === 0) {
      void vscode.window.showInformationMessage('envtrace: no stored runs yet. Use "Run with envtrace" or "Import Run".');
      return undefined;
    }
    const shown = new Set((await ctx.shownRuns()).map((r) => r.dir));
    const items = await Promise.all(all.map((r) => runItem(ctx, r, true)));
    for (const item of items) item.picked = shown.has(item.run.dir);
    const picked = await vscode.window.showQuickPick(items, {
      title: 'envtrace runs: choose which runs the lenses and hovers show',
      canPickMany: true,
      matchOnDetail: true,
      placeHolder: 'Check the runs to show; check none to follow the envtrace.runs.show setting (the newest run)',
    }).then(undefined, () => undefined);
    if (!picked) return undefined;
    const dirs = picked.map((p) => p.run.dir);
    await ctx.select(dirs.length ? dirs : undefined);
    return dirs;
  };
}
