/** The flame graph panel of one run: asks the server for the tree (`envtrace/flame`) per filter. */
import * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';
import type { RunInfo } from '../runStore';
import type { FlameFilter } from '../../../server/src/runs/flame';
import type { FlameResult } from '../../../server/src/protocol';
import { openFileLine, webviewHtml, webviewOptions } from './html';

const BODY = `
<div class="bar" role="toolbar" aria-label="Filters">
  <label>Key <select id="key"></select></label>
  <label>Op <select id="op"><option value="">all</option><option value="read">read</option><option value="write">write</option><option value="unset">unset</option><option value="environ">environ</option><option value="process">spawn/exec</option></select></label>
  <label>Process <select id="process"></select></label>
  <label>Test <select id="test"></select></label>
  <label><input type="checkbox" id="unset"> unset reads only</label>
  <span id="summary" aria-live="polite"></span>
</div>
<div id="chart" role="group" aria-label="Flame graph of env accesses: Tab to a frame, Enter opens it, Escape zooms out"></div>
<div id="details" aria-live="polite"></div>`;

const CSS = `
#chart svg { width: 100%; }
#chart .d3-flame-graph-label { color: var(--vscode-editor-background); font-size: 12px; overflow: hidden; white-space: nowrap; padding: 2px 4px; pointer-events: none; }
#chart g.frame:focus rect, #chart g.frame:hover rect { stroke: var(--vscode-focusBorder); stroke-width: 1.5px; }
#chart g.frame.fade { opacity: 0.5; }`;

/** Opens the flame graph of `run` (filtered to `key` when given); returns the panel. */
export function showFlamePanel(ctx: EnvtraceContext, run: RunInfo, key?: string): vscode.WebviewPanel {
  const ext = ctx.extension.extensionUri;
  const panel = vscode.window.createWebviewPanel('envtrace.flame', `Flame graph: ${run.label || run.id}${key ? ` · ${key}` : ''}`, vscode.ViewColumn.Active, webviewOptions(ext));
  panel.webview.html = webviewHtml(panel.webview, ext, 'envtrace flame graph', BODY, ['flame.js'], ['flame.css'], CSS);
  const send = async (filter: FlameFilter) => {
    const result = await ctx.server.request<FlameResult>('envtrace/flame', { run: run.dir, filter });
    if (result) await panel.webview.postMessage({ type: 'data', result, filter });
    else void vscode.window.showErrorMessage('envtrace: the flame graph needs the language server (see the envtrace log).');
  };
  panel.webview.onDidReceiveMessage((m: { type: string; filter?: FlameFilter; file?: string; line?: number }) => {
    if (m.type === 'ready') void send(key === undefined ? {} : { keys: [key] });
    else if (m.type === 'filter') void send(m.filter ?? {});
    else if (m.type === 'open' && typeof m.file === 'string' && typeof m.line === 'number') void openFileLine(m.file, m.line);
  });
  return panel;
}
