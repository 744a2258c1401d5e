/** "envtrace: Import Run": a JSON report or a run directory (e.g. a CI artifact) becomes a stored run. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeFolder, type EnvtraceContext } from '../context';
import { importInto } from '../runImport';

/** Creates the handler; `source` (a path or Uri) skips the file dialog. Resolves to the new run directory or report file. */
export function importRunCommand(ctx: EnvtraceContext) {
  return async (source?: string | vscode.Uri): Promise<string | undefined> => {
    const folder = activeFolder();
    if (!folder) {
      void vscode.window.showWarningMessage('envtrace: open a workspace folder to import a run into.');
      return undefined;
    }
    let file = typeof source === 'string' ? source : source?.fsPath;
    if (!file) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Import an envtrace run: a JSON report or a run directory',
        canSelectFiles: true,
        canSelectFolders: true,
        filters: { 'envtrace report': ['json'] },
      });
      file = picked?.[0]?.fsPath;
      if (!file) return undefined;
    }
    try {
      const dir = await importInto(file, ctx.storeDir(folder));
      ctx.log.info(`imported ${file} as ${dir}`);
      // The server shows an imported run whatever runs are chosen, until it restarts.
      await ctx.server.request('envtrace/importRun', { path: dir, folderUri: folder.uri.toString() });
      ctx.refresh(true);
      void vscode.window.showInformationMessage(`envtrace: imported ${path.basename(file)}.`);
      return dir;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      ctx.log.error(`import failed: ${msg}`);
      void vscode.window.showErrorMessage(`envtrace: cannot import: ${msg}`);
      return undefined;
    }
  };
}
