/** Entry point of the extension: builds the shared context, starts the language server, registers commands and views. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ServerConnection } from './client';
import { commandIds } from './commandIds';
import { clearRunsCommand } from './commands/clearRuns';
import { compareRunsCommand } from './commands/compareRuns';
import { exportCommand } from './commands/export';
import { importRunCommand } from './commands/importRun';
import { openTraceCommand } from './commands/openTrace';
import { rerunCommand, stopCommand } from './commands/rerun';
import { runCommand } from './commands/run';
import { showRunsCommand } from './commands/showRuns';
import { showFlameGraphCommand, showTimelineCommand } from './commands/showPictures';
import { showGraphCommand } from './commands/showGraph';
import { traceTestCommand } from './commands/traceTest';
import { EnvtraceContext } from './context';
import { startPrebuild } from './prebuild';
import { announceRun } from './runAnnounce';
import { Runner } from './runner';
import { ReportCache } from './runStore';
import { EnvtraceTaskProvider, TASK_TYPE } from './tasks';
import { TestLensProvider } from './testLenses';
import { EnvironmentTree, type ViewItem } from './views/environmentTree';
import { RESTRICTED, RunStatusBar } from './views/statusBar';

/** What the extension exports to other extensions (and the integration tests). */
export interface EnvtraceApi {
  /** The extension's log output channel. */
  readonly log: vscode.LogOutputChannel;
  /** True while the language server runs. */
  serverRunning(): boolean;
  /** Resolves when the status bar shows the current runs; returns its text. */
  statusText(): Promise<string>;
  /** The status bar's tooltip Markdown (its links to the run's pictures), once it shows the current runs. */
  statusTooltip(): Promise<string>;
  /** Fires when stored runs or the shown runs change. */
  readonly onRunsChanged: vscode.Event<void>;
  /** The text of the last notification envtrace showed about a run. */
  lastNotice(): string;
  /** The last progress message of a run. */
  lastProgress(): string;
  /** The Environment view's items under the node reached by following `labels` from its root. */
  viewItems(...labels: string[]): Promise<ViewItem[]>;
}

/** Activates envtrace. Start-up failures are logged and shown once; activation itself never throws. */
export async function activate(context: vscode.ExtensionContext): Promise<EnvtraceApi> {
  const log = vscode.window.createOutputChannel('envtrace', { log: true });
  context.subscriptions.push(log);
  log.info(`envtrace ${context.extension.packageJSON.version} activating (${vscode.env.appName}, trusted: ${vscode.workspace.isTrusted})`);
  const server = new ServerConnection(path.join(context.extensionPath, 'dist', 'server.js'), log);
  const runner = new Runner(log);
  const ctx = new EnvtraceContext(context, log, server, runner, new ReportCache(context.extensionPath));
  context.subscriptions.push(server, runner, ctx);
  const statusBar = new RunStatusBar(ctx);
  const tree = new EnvironmentTree(ctx);
  context.subscriptions.push(statusBar, tree);
  try {
    register(context, ctx, tree);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    log.error(`activation failed: ${msg}`);
    void vscode.window.showErrorMessage(`envtrace: activation failed: ${msg}`);
  }
  if (!vscode.workspace.isTrusted) void sayRestricted(context, ctx);
  void server.start().then(async (ok) => {
    if (ok) await ctx.announceImports();
  });
  void startPrebuild(ctx, context, log);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void startPrebuild(ctx, context, log)));
  return {
    log,
    serverRunning: () => server.running,
    statusText: async () => {
      await statusBar.update();
      return statusBar.text;
    },
    statusTooltip: async () => {
      await statusBar.update();
      return statusBar.tooltipMarkdown;
    },
    onRunsChanged: ctx.onRunsChanged,
    viewItems: (...labels: string[]) => tree.itemsAt(labels),
    lastNotice: () => ctx.lastNotice,
    lastProgress: () => runner.lastProgress,
  };
}

function register(context: vscode.ExtensionContext, ctx: EnvtraceContext, tree: EnvironmentTree): void {
  const cmd = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  const traceTest = traceTestCommand(ctx);
  cmd(commandIds.run, runCommand(ctx));
  cmd(commandIds.traceTest, traceTest);
  cmd(commandIds.tracePackageTests, (uri?: vscode.Uri) => traceTest(uri));
  cmd(commandIds.rerun, rerunCommand(ctx));
  cmd(commandIds.stop, stopCommand(ctx));
  cmd(commandIds.showRuns, showRunsCommand(ctx));
  cmd(commandIds.importRun, importRunCommand(ctx));
  cmd(commandIds.compareRuns, compareRunsCommand(ctx));
  cmd(commandIds.clearRuns, clearRunsCommand(ctx));
  cmd(commandIds.export, exportCommand(ctx));
  cmd(commandIds.openTrace, openTraceCommand(ctx));
  cmd(commandIds.showFlameGraph, showFlameGraphCommand(ctx));
  cmd(commandIds.showTimeline, showTimelineCommand(ctx));
  cmd(commandIds.showDependencyGraph, showGraphCommand(ctx));
  cmd(commandIds.restartServer, async () => {
    const ok = await ctx.server.restart();
    if (ok) await ctx.announceImports();
    tree.refresh();
    return ok;
  });
  cmd(commandIds.refresh, () => tree.refresh());
  cmd(commandIds.openSite, async (uri: vscode.Uri, line: number, column = 1) => {
    const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos) });
  });

  context.subscriptions.push(
    vscode.tasks.registerTaskProvider(TASK_TYPE, new EnvtraceTaskProvider(context.extensionPath)),
    vscode.window.createTreeView('envtrace.environment', { treeDataProvider: tree, showCollapseAll: true }),
  );
  const lenses = new TestLensProvider();
  context.subscriptions.push(lenses, vscode.languages.registerCodeLensProvider({ language: 'go', scheme: 'file', pattern: '**/*_test.go' }, lenses));

  // Runs that appear on disk (a CLI run in a terminal, a CI artifact copied in) update the views too.
  const watcher = vscode.workspace.createFileSystemWatcher('**/.envtrace/runs/*/run.json');
  context.subscriptions.push(watcher, watcher.onDidCreate(() => ctx.refresh()), watcher.onDidChange(() => ctx.refresh()), watcher.onDidDelete(() => ctx.refresh(true)));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('envtrace.runs')) ctx.refresh(true);
      if (e.affectsConfiguration('envtrace.codeLens')) ctx.server.refreshLenses();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => ctx.refresh()),
    // The server loaded other runs (one completed, a choice, an import): fetch its lenses again.
    ctx.server.onRunsChanged(() => {
      ctx.server.refreshLenses();
      ctx.refresh();
    }),
    // A new run is what the user wants to see: back to the setting (newest run), which also
    // makes the server list its store again rather than wait for a file event.
    ctx.runner.onRunEnded(async (outcome) => {
      await ctx.select(undefined);
      ctx.server.refreshLenses();
      await announceRun(ctx, outcome);
    }),
  );
}

/** Says once per workspace what Restricted Mode turns off, with a way to trust the workspace. */
async function sayRestricted(context: vscode.ExtensionContext, ctx: EnvtraceContext): Promise<void> {
  ctx.lastNotice = RESTRICTED;
  if (context.workspaceState.get<boolean>('envtrace.restrictedNoticeShown')) return;
  await context.workspaceState.update('envtrace.restrictedNoticeShown', true);
  const choice = await vscode.window.showInformationMessage(RESTRICTED.replace(' Click to manage workspace trust.', ''), 'Manage Workspace Trust');
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
}

/** Stops the language server. */
export function deactivate(): void {}
