/**
 * The flame graph view: draws the tree the server aggregated (runs/flame.ts) with
 * d3-flame-graph. Click or Enter on a frame zooms into it and opens its file:line; the
 * frame's title (hover) gives its accesses, unset reads and keys; Escape zooms out.
 */
import flamegraph, { type HierarchyNode } from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { FlameNode, FlameFilter } from '../../server/src/runs/flame';
import type { FlameResult } from '../../server/src/protocol';
import { fillSelect, opColors, openSite, themeColor, vscode } from './common';

const chartEl = document.getElementById('chart')!;
const details = document.getElementById('details')!;
const summary = document.getElementById('summary')!;
const keySel = document.getElementById('key') as HTMLSelectElement;
const opSel = document.getElementById('op') as HTMLSelectElement;
const pidSel = document.getElementById('process') as HTMLSelectElement;
const testSel = document.getElementById('test') as HTMLSelectElement;
const unsetBox = document.getElementById('unset') as HTMLInputElement;

type Node = HierarchyNode<FlameNode>;

function label(d: Node): string {
  const n = d.data;
  const keys = Object.entries(n.keys)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, c]) => `${k} ${c}`)
    .join(', ');
  const where = n.file ? `\n${n.file}:${n.line}` : '';
  return `${n.name}\n${n.value} access${n.value === 1 ? '' : 'es'}${n.unset ? `, ${n.unset} unset` : ''}\nkeys: ${keys}${where}`;
}

/** The theme's colours for frames, read once per drawing (each read is a style computation). */
function palette() {
  return { ops: opColors(), unset: themeColor('charts-red', '#f14c4c'), other: themeColor('charts-foreground', '#cccccc'), module: themeColor('charts-green', '#89d185'), std: themeColor('charts-yellow', '#cca700') };
}

function color(d: Node, colors: ReturnType<typeof palette>): string {
  const n = d.data;
  if (!n.file) {
    if (n.unset && n.unset === n.value) return colors.unset;
    const op = n.name.split(' ')[0];
    return colors.ops[op] ?? colors.other;
  }
  // Module code stands out from the standard library's frames.
  // The package is the name up to the first dot after the last slash (`example.com/app/cfg.Load` → `example.com/app/cfg`).
  const pkg = n.name.slice(0, n.name.indexOf('.', n.name.lastIndexOf('/', n.name.indexOf('(') >= 0 ? n.name.indexOf('(') : n.name.length) + 1));
  return pkg === 'main' || pkg.split('/')[0].includes('.') ? colors.module : colors.std;
}

let chart: ReturnType<typeof flamegraph<FlameNode>> | null = null;

function draw(result: FlameResult): void {
  chart?.destroy();
  chartEl.replaceChildren();
  const colors = palette();
  summary.textContent = `${result.total} access${result.total === 1 ? '' : 'es'}`;
  chart = flamegraph<FlameNode>()
    .width(Math.max(300, chartEl.clientWidth))
    .cellHeight(20)
    .minFrameSize(2)
    .transitionDuration(0)
    .selfValue(false)
    .inverted(false)
    .sort(true)
    .setLabelHandler(label)
    .setColorMapper((d) => color(d, colors))
    .setDetailsElement(details)
    .onClick((d) => {
      if (d.data.file) openSite(`${d.data.file}:${d.data.line}`);
    });
  select(chartEl).datum(result.tree).call(chart);
  focusable();
}

/** Frames reachable by Tab, named for screen readers; Enter clicks (zoom + open). */
function focusable(): void {
  for (const g of chartEl.querySelectorAll<SVGGElement>('g.frame')) {
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', g.querySelector('title')?.textContent?.replace(/\n/g, '; ') ?? g.getAttribute('name') ?? '');
  }
}

chartEl.addEventListener('keydown', (ev) => {
  const g = (ev.target as Element).closest('g.frame');
  if (ev.key === 'Enter' || ev.key === ' ') {
    g?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    ev.preventDefault();
  } else if (ev.key === 'Escape') chart?.resetZoom();
});
chartEl.addEventListener('focusin', (ev) => {
  const g = (ev.target as Element).closest('g.frame');
  details.textContent = g?.querySelector('title')?.textContent ?? '';
});

function filter(): FlameFilter {
  const f: FlameFilter = {};
  if (keySel.value) f.keys = [keySel.value];
  if (opSel.value) f.ops = [opSel.value];
  if (pidSel.value) f.pids = [Number(pidSel.value)];
  if (testSel.value) f.tests = [testSel.value];
  if (unsetBox.checked) f.unsetOnly = true;
  return f;
}

for (const el of [keySel, opSel, pidSel, testSel, unsetBox]) el.addEventListener('change', () => vscode.postMessage({ type: 'filter', filter: filter() }));

window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as { type: string; result?: FlameResult; filter?: FlameFilter };
  if (m.type !== 'data' || !m.result) return;
  fillSelect(keySel, m.result.keys, m.filter?.keys?.[0] ?? keySel.value);
  fillSelect(pidSel, m.result.pids, pidSel.value);
  fillSelect(testSel, m.result.tests, testSel.value);
  draw(m.result);
  document.body.dataset.picture = 'flame';
  document.body.dataset.state = 'drawn';
});
vscode.postMessage({ type: 'ready' });
