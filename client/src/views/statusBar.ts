/** The status bar item: the shown run at a glance (`envtrace: 42 keys · 3 unset · 1 race`), a spinner while running. */
import * as vscode from 'vscode';
import { commandIds } from '../commandIds';
import type { EnvtraceContext } from '../context';
import { summarize, summaryText } from '../report';

/** What Restricted Mode turns off, said where the user looks. */
export const RESTRICTED =
  'envtrace in Restricted Mode: lenses, hovers and the Environment view show what the code reads, but nothing runs — "Run with envtrace", the ▷ button, the "trace test" lenses and envtrace tasks need a trusted workspace, since they build and run the code. Click to manage workspace trust.';

/** Creates the status bar item and keeps it current. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('envtrace.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subs: vscode.Disposable[];
  private generation = 0;
  /** The text last shown, for tests and logs. */
  text = '';
  /** The tooltip's Markdown (with the links to the run's pictures), '' when it is plain text. */
  get tooltipMarkdown(): string {
    const t = this.item.tooltip;
    return t instanceof vscode.MarkdownString ? t.value : '';
  }

  constructor(private readonly ctx: EnvtraceContext) {
    this.item.name = 'envtrace';
    this.item.command = commandIds.showRuns;
    this.subs = [ctx.onRunsChanged(() => void this.update()), ctx.runner.onDidChange(() => void this.update())];
    void this.update();
  }

  /** Recomputes the text from the shown runs; resolves when shown. */
  async update(): Promise<void> {
    const gen = ++this.generation;
    if (this.ctx.runner.running) {
      this.show('$(sync~spin) envtrace: running…', 'envtrace: a traced run is in progress (click to see runs)');
      return;
    }
    if (!vscode.workspace.isTrusted) {
      this.show('$(shield) envtrace: Restricted Mode', RESTRICTED, false, 'workbench.trust.manage');
      return;
    }
    const runs = await this.ctx.shownRuns();
    if (gen !== this.generation) return;
    if (runs.length === 0) {
      this.show('$(eye) envtrace: no runs', 'envtrace: no stored runs. Run "envtrace: Run with envtrace".');
      return;
    }
    const report = await this.ctx.reports.report(runs[0]);
    if (gen !== this.generation) return;
    if (typeof report === 'string') {
      this.show('$(warning) envtrace: run unreadable', `envtrace: ${report}`);
      return;
    }
    const more = runs.length > 1 ? ` (${runs.length} runs shown)` : '';
    // A run whose command failed must not look like a success.
    const failed = typeof report.exitCode === 'number' && report.exitCode !== 0;
    const icon = failed ? `$(error) envtrace: exit ${report.exitCode} · ` : '$(eye) envtrace: ';
    const tooltip = `envtrace: ${runs[0].label} — ${failed ? `failed with exit ${report.exitCode}` : `exit ${report.exitCode ?? 'unknown'}`}. Click to choose runs.`;
    this.show(`${icon}${summaryText(summarize(report))}${more}`, pictureLinks(tooltip, runs[0].dir), failed);
  }

  private show(text: string, tooltip: string | vscode.MarkdownString, warn = false, command: string = commandIds.showRuns): void {
    this.text = text;
    this.item.command = command;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = warn ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}

/** The tooltip with links to the run's pictures (flame graph, timeline) and Compare Runs…. */
function pictureLinks(tooltip: string, runDir: string): vscode.MarkdownString {
  const arg = encodeURIComponent(JSON.stringify([runDir]));
  const md = new vscode.MarkdownString(
    `${tooltip.replace(/[\\`*_[\]<>]/g, '\\$&')}\n\n[$(flame) Flame graph](command:${commandIds.showFlameGraph}?${arg}) · [$(timeline-view-icon) Timeline](command:${commandIds.showTimeline}?${arg}) · [$(diff) Compare Runs…](command:${commandIds.compareRuns})`,
    true,
  );
  md.isTrusted = { enabledCommands: [commandIds.showFlameGraph, commandIds.showTimeline, commandIds.compareRuns] };
  return md;
}
