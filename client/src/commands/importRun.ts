/**
 * "envtrace: Import Run": JSON reports, OTLP JSON files (the OpenTelemetry Collector's file
 * exporter) and run directories — one or many — become a stored run (several: one fleet run).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeFolder, type EnvtraceContext } from '../context';
import { importSources } from '../runImport';

/** Creates the handler; `source` (a path or Uri) skips the file dialog. Resolves to the new run directory or report file. */
export function importRunCommand(ctx: EnvtraceContext) {
  return async (source?: string | vscode.Uri | readonly (string | vscode.Uri)[]): Promise<string | undefined> => {
    const folder = activeFolder();
    if (!folder) {
      void vscode.window.showWarningMessage('envtrace: open a workspace folder to import a run into.');
      return undefined;
    }
    const given = source === undefined ? [] : Array.isArray(source) ? source : [source as string | vscode.Uri];
    const files = given.length ? given.map((s) => (typeof s === 'string' ? s : s.fsPath)) : await pickSources();
    if (!files?.length) return undefined;
    const file = files.length === 1 ? files[0] : `${files.length} sources`;
    try {
      const dir = await importSources(files, ctx.storeDir(folder));
      ctx.log.info(`imported ${files.join(', ')} as ${dir}`);
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

/**
 * Asks for files or folders: on Linux and Windows one dialog cannot offer both (it becomes a
 * folder picker), so the kind is chosen first; several of either can be picked.
 */
async function pickSources(): Promise<string[] | undefined> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: 'Files…', description: 'JSON reports, OTLP JSON from an OpenTelemetry Collector', folders: false },
      { label: 'Run directories…', description: "a run, or pods' run files (one fleet run)", folders: true },
    ],
    { title: 'Import envtrace runs' },
  );
  if (!kind) return undefined;
  const picked = await vscode.window.showOpenDialog({
    title: kind.folders ? 'Import run directories' : 'Import JSON reports or OTLP JSON files',
    canSelectFiles: !kind.folders,
    canSelectFolders: kind.folders,
    canSelectMany: true,
    ...(kind.folders ? {} : { filters: { 'envtrace report or OTLP JSON': ['json', 'jsonl'], 'All files': ['*'] } }),
  });
  return picked?.map((u) => u.fsPath);
}
