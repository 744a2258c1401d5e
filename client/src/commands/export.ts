/** "envtrace: Export": a run's JSON report, or a Markdown inventory of every key (defaults, sites, observed values redacted). */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { replaceFile } from '../../../server/src/files/writeSafe';
import type { ScanResult } from '../../../server/src/scan/types';
import { runCli } from '../cli';
import { activeFolder, type EnvtraceContext } from '../context';
import { inventoryMarkdown } from '../inventoryMarkdown';
import type { JsonReport } from '../report';
import { firstLine } from '../runStore';
import { findRun, pickRun } from './pickRun';

export type ExportFormat = 'json' | 'markdown';

/**
 * Creates the handler; `format`, `target` (a file path) and `runId` (an id or run directory)
 * skip the questions; with a target but no run, the shown run is exported. Resolves to the written file.
 */
export function exportCommand(ctx: EnvtraceContext) {
  return async (format?: ExportFormat, target?: string, runId?: string): Promise<string | undefined> => {
    const folder = activeFolder();
    if (!folder) return undefined;
    if (!format) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'Markdown inventory', description: 'every key: default, sites, observed values (secrets redacted)', format: 'markdown' as const },
          { label: 'JSON report', description: 'the full report of one run', format: 'json' as const },
        ],
        { title: 'envtrace: Export' },
      );
      if (!pick) return undefined;
      format = pick.format;
    }
    let content = '';
    let scanResult: ScanResult | undefined;
    let inventoryReport: JsonReport | undefined;
    if (format === 'json') {
      const run = runId ? await findRun(ctx, runId) : target ? (await ctx.shownRuns())[0] : await pickRun(ctx, 'Export the JSON report of…');
      if (!run) return undefined;
      const report = await ctx.reports.report(run);
      if (typeof report === 'string') return fail(report);
      content = JSON.stringify(report, null, 2) + '\n';
    } else {
      const scan = await runCli(ctx.extension.extensionPath, ['scan', '--json', folder.uri.fsPath], folder.uri.fsPath);
      if (scan.code !== 0) return fail(firstLine(scan.stderr) || `envtrace scan exited with ${scan.code}`);
      const shown = runId ? await findRun(ctx, runId) : (await ctx.shownRuns())[0];
      const report = shown ? await ctx.reports.report(shown) : undefined;
      scanResult = JSON.parse(scan.stdout) as ScanResult;
      inventoryReport = typeof report === 'object' ? report : undefined;
    }
    if (!target) {
      const uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(folder.uri.fsPath, format === 'json' ? 'envtrace-report.json' : 'ENVIRONMENT.md')),
        filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
      });
      if (!uri) return undefined;
      target = uri.fsPath;
    }
    if (format === 'markdown') content = inventoryMarkdown(scanResult!, inventoryReport, folder.name, path.dirname(target));
    // A new file renamed over the name: a symlink there (a clone may commit one) is replaced, not written through.
    await replaceFile(target, content, format === 'json' ? 0o600 : 0o644);
    ctx.log.info(`exported ${format} to ${target}`);
    // Say where it went, and show it.
    const shown = path.relative(folder.uri.fsPath, target);
    ctx.lastNotice = `envtrace: exported the ${format === 'json' ? 'JSON report' : 'Markdown inventory'} to ${shown.startsWith('..') ? target : shown}.`;
    void vscode.window.showInformationMessage(ctx.lastNotice);
    await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: true });
    return target;
  };

  function fail(msg: string): undefined {
    void vscode.window.showErrorMessage(`envtrace: cannot export: ${msg}`);
    return undefined;
  }
}
