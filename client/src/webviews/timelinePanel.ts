/** The timeline panel of one run: asks the server for each window the user zooms or pans to (`envtrace/timeline`). */
import * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';
import type { RunInfo } from '../runStore';
import type { TimelineWindow } from '../../../server/src/runs/timelineView';
import { openFileLine, webviewOptions, webviewPageHtml } from './html';
import { TIMELINE_PAGE } from './picturePages';

/** Opens the timeline of `run` (only `key`'s accesses when given); returns the panel. */
export function showTimelinePanel(ctx: EnvtraceContext, run: RunInfo, key?: string): vscode.WebviewPanel {
  const ext = ctx.extension.extensionUri;
  const panel = vscode.window.createWebviewPanel('envtrace.timeline', `Timeline: ${run.label || run.id}${key ? ` · ${key}` : ''}`, vscode.ViewColumn.Active, webviewOptions(ext));
  panel.webview.html = webviewPageHtml(panel.webview, ext, TIMELINE_PAGE);
  // The latest window asked for: an answer to an older one (race lines arriving late) is dropped.
  let latest = 0;
  const ask = (m: { from?: number; to?: number; columns?: number }, waitForRaces: boolean) =>
    ctx.server.request<TimelineWindow>('envtrace/timeline', { run: run.dir, from: m.from, to: m.to, columns: m.columns, key, waitForRaces });
  // Asked at once, the answer unused: the server reads the run (and starts race analysis) while
  // the page loads; the page's own request, sized to its width, then only cuts a window.
  void ask({ columns: 2 }, false);
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
