/** Quick picks over stored runs, shared by the run commands. */
import * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';
import { summarize, summaryText } from '../report';
import type { RunInfo } from '../runStore';

export interface RunItem extends vscode.QuickPickItem {
  run: RunInfo;
}

/** A picker item for `run`: label, time, exit status and (once loaded) counts. */
export async function runItem(ctx: EnvtraceContext, run: RunInfo, withCounts: boolean): Promise<RunItem> {
  const when = run.start ? new Date(run.start).toLocaleString() : 'time unknown';
  const exit = run.exitCode === undefined ? 'exit ?' : `exit ${run.exitCode}`;
  let counts = '';
  if (withCounts) {
    const r = await ctx.reports.report(run);
    counts = typeof r === 'string' ? ` · ${r}` : ` · ${summaryText(summarize(r))}`;
  }
  return { label: run.label || run.id, description: when, detail: `${exit}${counts} · ${run.id}`, run };
}

/**
 * Asks for one run (newest first); `runs` defaults to every stored run. `active` is the run
 * that Enter picks (the first one when not given).
 */
export async function pickRun(ctx: EnvtraceContext, title: string, runs?: RunInfo[], active?: RunInfo): Promise<RunInfo | undefined> {
  const all = runs ?? (await ctx.allRuns());
  if (all.length === 0) {
    void vscode.window.showInformationMessage('envtrace: no stored runs. Use "Run with envtrace" or "Import Run" first.');
    return undefined;
  }
  if (all.length === 1) return all[0];
  const items = await Promise.all(all.map((r) => runItem(ctx, r, false)));
  const qp = vscode.window.createQuickPick<RunItem>();
  qp.title = title;
  qp.matchOnDetail = true;
  qp.items = items;
  const preset = items.find((i) => i.run === active);
  if (preset) qp.activeItems = [preset];
  return new Promise((resolve) => {
    let picked: RunInfo | undefined;
    qp.onDidAccept(() => {
      picked = qp.selectedItems[0]?.run ?? qp.activeItems[0]?.run;
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(picked);
    });
    qp.show();
  });
}

/** Older run first (by start time; unknown times count as oldest). */
export function olderFirst(a: RunInfo, b: RunInfo): [RunInfo, RunInfo] {
  return (a.start ?? 0) <= (b.start ?? 0) ? [a, b] : [b, a];
}

/** Finds a run by id or directory among the stored runs. */
export async function findRun(ctx: EnvtraceContext, idOrDir: string): Promise<RunInfo | undefined> {
  return (await ctx.allRuns()).find((r) => r.id === idOrDir || r.dir === idOrDir);
}
