/** The dependency graph panel: asks the server for the graph (`envtrace/graph`) of the workspace or of one package. */
import * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';
import type { GraphResult } from '../../../server/src/protocol';
import { webviewHtml, webviewOptions } from './html';

/** A package of one folder; undefined: the whole workspace. */
export type GraphScope = { folderUri: string; dir: string } | undefined;

const BODY = `
<div class="bar" role="toolbar" aria-label="Graph scope">
  <label>Show <select id="scope"></select></label>
  <span id="summary" aria-live="polite"></span>
</div>
<div class="bar" id="legend" aria-label="Risk colours"></div>
<div id="chart" tabindex="0" aria-label="Dependency graph: keys, the functions that use them, and the calls their values reach, coloured by risk. The list below holds the same nodes."></div>
<div id="details" aria-live="polite"></div>
<label>Nodes (Enter opens the code):<br><select id="nodes" size="6" aria-label="Nodes of the graph"></select></label>`;

const CSS = `
#chart { width: 100%; height: calc(100vh - 260px); min-height: 260px; border: 1px solid var(--vscode-panel-border, transparent); }
#nodes { width: 100%; }
#legend .risk { display: inline-flex; align-items: center; gap: 4px; margin-right: 8px; }
#legend .chip { display: inline-block; width: 12px; height: 12px; border-radius: 3px; }`;

function title(scope: GraphScope): string {
  if (!scope) return 'Dependency graph';
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(scope.folderUri));
  return `Dependency graph: ${scope.dir || folder?.name || '.'}`;
}

/** How long the panel waits after the last change of the index before it asks again. */
const REFRESH_MS = 400;

/** Opens the dependency graph of `scope`; the panel's picker changes the scope; edits redraw it. Returns the panel. */
export function showGraphPanel(ctx: EnvtraceContext, scope: GraphScope): vscode.WebviewPanel {
  const ext = ctx.extension.extensionUri;
  const panel = vscode.window.createWebviewPanel('envtrace.graph', title(scope), vscode.ViewColumn.Active, webviewOptions(ext));
  panel.webview.html = webviewHtml(panel.webview, ext, 'envtrace dependency graph', BODY, ['graph.js'], [], CSS);
  let shown = scope;
  const send = async (s: GraphScope) => {
    shown = s;
    const graph = await ctx.server.request<GraphResult>('envtrace/graph', s ? { folderUri: s.folderUri, package: s.dir } : {});
    panel.title = title(s);
    if (graph) await panel.webview.postMessage({ type: 'data', graph, scope: s ?? null });
    else void vscode.window.showErrorMessage('envtrace: the dependency graph needs the language server (see the envtrace log).');
  };
  panel.webview.onDidReceiveMessage(async (m: { type: string; folderUri?: string; dir?: string; uri?: string; line?: number; column?: number }) => {
    if (m.type === 'ready') await send(scope);
    else if (m.type === 'scope') await send(typeof m.folderUri === 'string' && typeof m.dir === 'string' ? { folderUri: m.folderUri, dir: m.dir } : undefined);
    else if (m.type === 'open' && typeof m.uri === 'string' && typeof m.line === 'number') {
      // Only files: the page draws names taken from the code it shows.
      const uri = vscode.Uri.parse(m.uri);
      if (uri.scheme !== 'file') return;
      const pos = new vscode.Position(Math.max(0, m.line - 1), Math.max(0, (m.column ?? 1) - 1));
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
    }
  });
  // Edits and files appearing change the graph: ask again once they settle, and only when it is seen.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stale = false;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stale = !panel.visible;
      if (!stale) void send(shown);
    }, REFRESH_MS);
  };
  const subs = [ctx.server.onIndexChanged(refresh), panel.onDidChangeViewState(() => panel.visible && stale && refresh())];
  panel.onDidDispose(() => {
    clearTimeout(timer);
    for (const s of subs) s.dispose();
  });
  return panel;
}
