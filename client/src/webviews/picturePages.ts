/**
 * The pages of the picture views (flame graph, timeline, Compare Runs table), without
 * `vscode`: the panels show them, and scripts/bench/pictureBrowser.mjs loads the same pages
 * in Chromium to time their drawing.
 */
import type { RunDiff } from '../../../server/src/analysis/diff';
import type { ServiceDiff } from '../../../server/src/analysis/fleetDiff';
import { COMPARE_CSS, compareTableHtml } from '../compareHtml';
import type { WebviewPage } from './page';

/** The flame graph: filters, the chart (client/webview/flame.ts), the hovered frame's details. */
export const FLAME_PAGE: WebviewPage = {
  title: 'envtrace flame graph',
  scripts: ['flame.js'],
  styles: ['flame.css'],
  body: `
<div class="bar" role="toolbar" aria-label="Filters">
  <label>Key <select id="key"></select></label>
  <label>Op <select id="op"><option value="">all</option><option value="read">read</option><option value="write">write</option><option value="unset">unset</option><option value="environ">environ</option><option value="process">spawn/exec</option></select></label>
  <label>Process <select id="process"></select></label>
  <label>Test <select id="test"></select></label>
  <label><input type="checkbox" id="unset"> unset reads only</label>
  <span id="summary" aria-live="polite"></span>
</div>
<div id="chart" role="group" aria-label="Flame graph of env accesses: Tab to a frame, Enter opens it, Escape zooms out"></div>
<div id="details" aria-live="polite"></div>`,
  css: `
#chart svg { width: 100%; }
#chart .d3-flame-graph-label { color: var(--vscode-editor-background); font-size: 12px; overflow: hidden; white-space: nowrap; padding: 2px 4px; pointer-events: none; }
#chart g.frame:focus rect, #chart g.frame:hover rect { stroke: var(--vscode-focusBorder); stroke-width: 1.5px; }
#chart g.frame.fade { opacity: 0.5; }`,
};

/** The timeline: the chart (client/webview/timeline.ts), the hovered mark, the marks in view. */
export const TIMELINE_PAGE: WebviewPage = {
  title: 'envtrace timeline',
  scripts: ['timeline.js'],
  body: `
<div class="bar"><span id="summary" aria-live="polite"></span>
<span>Scroll or +/− to zoom, drag or ←/→ to pan, 0 for the whole run; click a mark to open its site.</span></div>
<div id="chart" tabindex="0" aria-label="Timeline of env accesses per process and goroutine"></div>
<div id="details" aria-live="polite"></div>
<label>Marks in view (Enter opens the site):<br><select id="marks" size="8" aria-label="Marks in view"></select></label>`,
  css: `#chart { width: 100%; height: calc(100vh - 260px); min-height: 240px; } #marks { width: 100%; }`,
};

/** The Compare Runs table of `diff` (no script); `siteLink` turns a `file:line` into a link target. */
export function comparePage(diff: RunDiff, siteLink: (site: string) => string | null, services?: readonly ServiceDiff[]): WebviewPage {
  return { title: 'envtrace compare runs', scripts: [], body: compareTableHtml(diff, siteLink, services), css: COMPARE_CSS };
}
