/** The timeline panel of one run: asks the server for each window the user zooms or pans to (`envtrace/timeline`). */
import * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';
import type { RunInfo } from '../runStore';
import type { TimelineWindow } from '../../../server/src/runs/timelineView';
import { openFileLine, webviewHtml, webviewOptions } from './html';

const BODY = `
<div class="bar"><span id="summary" aria-live="polite"></span>
<span>Scroll or +/− to zoom, drag or ←/→ to pan, 0 for the whole run; click a mark to open its site.</span></div>
<div id="chart" tabindex="0" aria-label="Timeline of env accesses per process and goroutine"></div>
<div id="details" aria-live="polite"></div>
<label>Marks in view (Enter opens the site):<br><select id="marks" size="8" aria-label="Marks in view"></select></label>`;

const CSS = `#chart { width: 100%; height: calc(100vh - 260px); min-height: 240px; } #marks { width: 100%; }`;

/** Opens the timeline of `run` (only `key`'s accesses when given); returns the panel. */
export function showTimelinePanel(ctx: EnvtraceContext, run: RunInfo, key?: string): vscode.WebviewPanel {
  const ext = ctx.extension.extensionUri;
  const panel = vscode.window.createWebviewPanel('envtrace.timeline', `Timeline: ${run.label || run.id}${key ? ` · ${key}` : ''}`, vscode.ViewColumn.Active, webviewOptions(ext));
  panel.webview.html = webviewHtml(panel.webview, ext, 'envtrace timeline', BODY, ['timeline.js'], [], CSS);
  // The latest window asked for: an answer to an older one (race lines arriving late) is dropped.
  let latest = 0;
  const ask = (m: { from?: number; to?: number; columns?: number }, waitForRaces: boolean) =>
    ctx.server.request<TimelineWindow>('envtrace/timeline', { run: run.dir, from: m.from, to: m.to, columns: m.columns, key, waitForRaces });
  panel.webview.onDidReceiveMessage(async (m: { type: string; from?: number; to?: number; columns?: number; file?: string; line?: number }) => {
    if (m.type === 'window') {
      const mine = ++latest;
      const window = await ask(m, false);
      if (!window) {
        void vscode.window.showErrorMessage('envtrace: the timeline needs the language server (see the envtrace log).');
        return;
      }
      if (mine === latest) await panel.webview.postMessage({ type: 'data', window });
      // Drawn at once; the race lines follow when their analysis is done.
      if (window.racesPending) {
        const complete = await ask(m, true);
        if (complete && mine === latest) await panel.webview.postMessage({ type: 'data', window: complete });
      }
    } else if (m.type === 'open' && typeof m.file === 'string' && typeof m.line === 'number') await openFileLine(m.file, m.line);
  });
  return panel;
}
