/** The flame graph panel of one run: asks the server for the tree (`envtrace/flame`) per filter. */
import * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';
import type { RunInfo } from '../runStore';
import type { FlameFilter } from '../../../server/src/runs/flame';
import type { FlameResult } from '../../../server/src/protocol';
import { openFileLine, webviewOptions, webviewPageHtml } from './html';
import { FLAME_PAGE } from './picturePages';

/** Opens the flame graph of `run` (filtered to `key` when given); returns the panel. */
export function showFlamePanel(ctx: EnvtraceContext, run: RunInfo, key?: string): vscode.WebviewPanel {
  const ext = ctx.extension.extensionUri;
  const panel = vscode.window.createWebviewPanel('envtrace.flame', `Flame graph: ${run.label || run.id}${key ? ` · ${key}` : ''}`, vscode.ViewColumn.Active, webviewOptions(ext));
  panel.webview.html = webviewPageHtml(panel.webview, ext, FLAME_PAGE);
  const ask = (filter: FlameFilter) => ctx.server.request<FlameResult>('envtrace/flame', { run: run.dir, filter });
  const send = async (filter: FlameFilter, answer = ask(filter)) => {
    const result = await answer;
    if (result) await panel.webview.postMessage({ type: 'data', result, filter });
    else void vscode.window.showErrorMessage('envtrace: the flame graph needs the language server (see the envtrace log).');
  };
  // Asked at once: the server reads the run while the page loads (a 1M-event run's read is most of the opening).
  const initial: FlameFilter = key === undefined ? {} : { keys: [key] };
  let early: ReturnType<typeof ask> | undefined = ask(initial);
  panel.webview.onDidReceiveMessage((m: { type: string; filter?: FlameFilter; file?: string; line?: number }) => {
    if (m.type === 'ready') {
      void send(initial, early);
      early = undefined;
    }
    else if (m.type === 'filter') void send(m.filter ?? {});
    else if (m.type === 'open' && typeof m.file === 'string' && typeof m.line === 'number') void openFileLine(m.file, m.line);
  });
  return panel;
}
