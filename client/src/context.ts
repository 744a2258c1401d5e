/** What every command and view shares: the log, the server, the runner and which runs are shown. */
import * as vscode from 'vscode';
import type { ServerConnection } from './client';
import { readConfig, type EnvtraceConfig } from './config';
import type { Runner } from './runner';
import { importsDirectory } from './runImport';
import { listImported, listRuns, type ReportCache, type RunInfo, runsDirectory, storeDirectory } from './runStore';
import { VirtualDocuments } from './views/virtualDocuments';

/** Shared state of the extension, passed to each command factory and view. */
export class EnvtraceContext implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the stored runs or the choice of shown runs changed. */
  readonly onRunsChanged = this.changed.event;
  /** Run directories chosen with "Show runs"; undefined follows `envtrace.runs.show`. */
  private selection: string[] | undefined;
  /** The read-only `envtrace:` documents (Compare Runs, Open Trace). */
  readonly documents = new VirtualDocuments();
  /** The text of the last notification about runs (for logs and the tests). */
  lastNotice = '';

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
    readonly server: ServerConnection,
    readonly runner: Runner,
    readonly reports: ReportCache,
  ) {}

  /** The settings for `scope` (a folder or file), typed and defaulted. */
  config(scope?: vscode.Uri): EnvtraceConfig {
    return readConfig(vscode.workspace.getConfiguration('envtrace', scope));
  }

  /** The runs directory of a workspace folder. */
  runsDir(folder: vscode.WorkspaceFolder): string {
    return runsDirectory(folder.uri.fsPath, this.config(folder.uri)['runs.directory']);
  }

  /** The envtrace store (`.envtrace`) of a workspace folder. */
  storeDir(folder: vscode.WorkspaceFolder): string {
    return storeDirectory(folder.uri.fsPath, this.config(folder.uri)['runs.directory']);
  }

  /** Every stored and imported run of every workspace folder, newest first. */
  async allRuns(): Promise<RunInfo[]> {
    const lists = await Promise.all(
      (vscode.workspace.workspaceFolders ?? []).flatMap((f) => [listRuns(f.uri.fsPath, this.runsDir(f)), listImported(f.uri.fsPath, importsDirectory(this.storeDir(f)))]),
    );
    return lists.flat().sort((a, b) => (b.start ?? 0) - (a.start ?? 0));
  }

  /** Tells the server about the reports imported earlier (it forgets imports when it restarts). */
  async announceImports(): Promise<void> {
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      for (const run of await listImported(f.uri.fsPath, importsDirectory(this.storeDir(f)))) {
        await this.server.request('envtrace/importRun', { path: run.dir, folderUri: f.uri.toString() });
      }
    }
  }

  /** The runs the lenses and views show: the chosen ones, else per `envtrace.runs.show` (complete runs only). */
  async shownRuns(): Promise<RunInfo[]> {
    const all = (await this.allRuns()).filter((r) => r.complete);
    if (this.selection) {
      const picked = all.filter((r) => this.selection?.includes(r.dir));
      if (picked.length) return picked;
    }
    const show = this.config()['runs.show'];
    if (show === 'all') return all;
    return all.slice(0, show === 'latest' ? 1 : show);
  }

  /** Chooses the shown runs (undefined: back to the setting) and tells the server. */
  async select(dirs: string[] | undefined): Promise<void> {
    this.selection = dirs;
    await this.server.request('envtrace/showRuns', dirs ? { ids: dirs } : {});
    this.refresh();
  }

  /** Announces that runs changed; `forget` drops cached reports (runs cleared or replaced). */
  refresh(forget = false): void {
    if (forget) this.reports.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.documents.dispose();
  }
}

/** Refuses to run in an untrusted workspace, saying why; true when running is allowed. */
export function checkTrusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('envtrace: running programs is disabled in an untrusted workspace. Trust the workspace to trace runs; lenses and hovers still work.');
  return false;
}

/** The workspace folder of the active editor, or the first one. */
export function activeFolder(): vscode.WorkspaceFolder | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
}
