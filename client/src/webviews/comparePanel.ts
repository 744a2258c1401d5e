/** The Compare Runs table as a webview: no script at all; site links are command links to envtrace.openSite. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunDiff } from '../../../server/src/analysis/diff';
import type { ServiceDiff } from '../../../server/src/analysis/fleetDiff';
import { commandIds } from '../commandIds';
import { webviewPageHtml } from './html';
import { comparePage } from './picturePages';

/** Opens the table of `diff` (and, for fleets, a column per service); relative sites resolve against `folder`. Returns the panel. */
export function showComparePanel(extensionUri: vscode.Uri, diff: RunDiff, folder: string, services?: readonly ServiceDiff[]): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel('envtrace.compare', `Compare: ${diff.a.label ?? diff.a.id} → ${diff.b.label ?? diff.b.id}`, vscode.ViewColumn.Beside, {
    enableScripts: false,
    enableCommandUris: [commandIds.openSite],
    localResourceRoots: [],
  });
  const siteLink = (site: string) => {
    const m = /^(.*):(\d+)$/.exec(site);
    if (!m) return null;
    const file = path.isAbsolute(m[1]) ? m[1] : path.join(folder, m[1]);
    return `command:${commandIds.openSite}?${encodeURIComponent(JSON.stringify([vscode.Uri.file(file), Number(m[2])]))}`;
  };
  panel.webview.html = webviewPageHtml(panel.webview, extensionUri, comparePage(diff, siteLink, services));
  return panel;
}
