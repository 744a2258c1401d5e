/**
 * The dependency graph view (issue 15): keys → the functions that use them → the sinks, drawn
 * with cytoscape (canvas) in three columns (graphLayout.ts), nodes and edges in the theme's
 * colour for their risk. Cytoscape's canvas is not reachable by keyboard or a screen reader, so
 * every node is also in a list (Enter opens its code), which says the same as the drawing.
 */
import cytoscape from 'cytoscape';
import type { GraphNodeInfo, GraphResult } from '../../server/src/protocol';
import { themeColor, vscode } from './common';
import { layeredLayout } from './graphLayout';

const chartEl = document.getElementById('chart')!;
const details = document.getElementById('details')!;
const summary = document.getElementById('summary')!;
const legend = document.getElementById('legend')!;
const list = document.getElementById('nodes') as HTMLSelectElement;
const scope = document.getElementById('scope') as HTMLSelectElement;

const RISKS = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
type Risk = (typeof RISKS)[number];

/** What each sink kind is called in the drawing and the list. */
const SINK_WORDS: Record<string, string> = {
  database: 'database',
  listen: 'HTTP server',
  outbound: 'outbound URL',
  credential: 'credential',
  file: 'file',
  mode: 'mode',
  flag: 'flag',
  parse: 'parse',
  output: 'output',
};

/** A colour without its alpha: `#rrggbbaa` → `#rrggbb`, `rgba(r, g, b, a)` → `rgb(r, g, b)`. */
function opaque(c: string): string {
  if (/^#[0-9a-f]{8}$/i.test(c)) return c.slice(0, 7);
  const m = /^rgba\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*,[^)]*\)$/.exec(c);
  return m ? `rgb(${m[1]}, ${m[2]}, ${m[3]})` : c;
}

/** The theme's colour for each risk, opaque: Dark Modern's orange is `rgba(234, 92, 0, 0.33)`, which would fade a node into the background. */
function riskColors(): Record<Risk, string> {
  return {
    critical: opaque(themeColor('charts-red', '#f14c4c')),
    high: opaque(themeColor('charts-orange', '#d18616')),
    medium: opaque(themeColor('charts-yellow', '#cca700')),
    low: opaque(themeColor('charts-green', '#89d185')),
    unknown: opaque(themeColor('descriptionForeground', '#9d9d9d')),
  };
}

/** The text a node shows: sinks say their kind before the call. */
function drawnLabel(n: GraphNodeInfo): string {
  return n.kind === 'sink' ? `${SINK_WORDS[n.sink ?? ''] ?? n.sink} · ${n.label}` : n.label;
}

/** What is drawn: the graph, its nodes by id and each node's successors. */
let current: { g: GraphResult; byId: Map<string, GraphNodeInfo>; out: Map<string, string[]> } | null = null;
let cy: cytoscape.Core | null = null;
const font = () => `${getComputedStyle(document.body).fontFamily || 'sans-serif'}`;
const FONT_SIZE = 12;
const HEIGHT = 26;

/** Width and height of a node holding `text`. */
function measure(text: string): { width: number; height: number } {
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.font = `${FONT_SIZE}px ${font()}`;
  return { width: Math.ceil(ctx.measureText(text).width) + 20, height: HEIGHT };
}

function where(n: GraphNodeInfo): string {
  return `${n.file}:${n.line}`;
}

/** One line per node for the list and the details: what it is, its risk, where its value goes, where it is. */
function describe(n: GraphNodeInfo): string {
  const next = (current?.out.get(n.id) ?? []).map((id) => current?.byId.get(id)?.label ?? id);
  const to = next.length ? ` → ${next.join(', ')}` : '';
  if (n.kind === 'key') return `key ${n.label} (${n.role ?? 'unknown'}, ${n.risk} risk)${to} — ${where(n)}`;
  if (n.kind === 'function') return `function ${n.label} (${n.risk} risk)${to} — ${where(n)}`;
  return `${SINK_WORDS[n.sink ?? ''] ?? n.sink} ${n.label} (${n.risk} risk) — ${where(n)}`;
}

function open(n: GraphNodeInfo | undefined): void {
  if (n) vscode.postMessage({ type: 'open', uri: n.uri, line: n.line, column: n.column });
}

function draw(g: GraphResult): void {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const out = new Map<string, string[]>();
  for (const e of g.edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  current = { g, byId, out };
  const colors = riskColors();
  const fg = themeColor('foreground', '#cccccc');
  const order = (n: GraphNodeInfo) => RISKS.indexOf(n.risk as Risk);
  const sorted = [...g.nodes].sort((a, b) => order(a) - order(b) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const sizes = new Map(sorted.map((n) => [n.id, measure(drawnLabel(n))]));
  const at = layeredLayout(
    sorted.map((n, rank) => ({ id: n.id, kind: n.kind, rank, ...sizes.get(n.id)! })),
    g.edges,
  );
  cy?.destroy();
  cy = cytoscape({
    container: chartEl,
    elements: [
      ...sorted.map((n) => ({ group: 'nodes' as const, data: { id: n.id, label: drawnLabel(n), kind: n.kind, color: colors[n.risk as Risk] ?? colors.unknown, ...sizes.get(n.id)! }, position: at.get(n.id)! })),
      ...g.edges.map((e, i) => ({ group: 'edges' as const, data: { id: `e${i}`, source: e.from, target: e.to, color: colors[e.risk as Risk] ?? colors.unknown } })),
    ],
    layout: { name: 'preset', fit: true, padding: 24 },
    minZoom: 0.2,
    maxZoom: 3,
    autoungrabify: true,
    boxSelectionEnabled: false,
    style: [
      {
        selector: 'node',
        style: {
          shape: 'round-rectangle',
          width: 'data(width)',
          height: 'data(height)',
          label: 'data(label)',
          'text-valign': 'center',
          'text-halign': 'center',
          'font-family': font(),
          'font-size': FONT_SIZE,
          color: fg,
          'background-color': 'data(color)',
          'background-opacity': 0.22,
          'border-color': 'data(color)',
          'border-width': 2,
        },
      },
      { selector: 'node[kind = "function"]', style: { shape: 'rectangle' } },
      { selector: 'node[kind = "sink"]', style: { shape: 'cut-rectangle' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': themeColor('focusBorder', '#007fd4') } },
      {
        selector: 'edge',
        style: { width: 2, 'curve-style': 'bezier', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)', 'target-arrow-shape': 'triangle', opacity: 0.8 },
      },
    ],
  });
  cy.on('tap', 'node', (ev) => open(byId.get(ev.target.id())));
  cy.on('mouseover', 'node', (ev) => {
    const n = byId.get(ev.target.id());
    if (n) details.textContent = detailsOf(n);
  });
  fillList(sorted, colors);
  fillLegend(g.nodes, colors);
  const count = (k: string) => g.nodes.filter((n) => n.kind === k).length;
  summary.textContent = g.nodes.length
    ? `${count('key')} keys, ${count('function')} functions, ${count('sink')} sinks, ${g.edges.length} edges${g.indexing ? ' (still indexing)' : ''}`
    : `No key of this ${scope.value ? 'package' : 'workspace'} reaches a call envtrace recognises${g.indexing ? ' yet (still indexing)' : ''}.`;
  document.body.dataset.picture = 'graph';
  document.body.dataset.state = 'drawn';
}

function detailsOf(n: GraphNodeInfo): string {
  return [describe(n), ...(n.reasons ?? [])].join('\n');
}

function fillList(nodes: GraphNodeInfo[], colors: Record<Risk, string>): void {
  const groups = (['key', 'function', 'sink'] as const).map((kind) => {
    const group = document.createElement('optgroup');
    group.label = kind === 'key' ? 'Keys' : kind === 'function' ? 'Functions' : 'Sinks';
    for (const n of nodes.filter((x) => x.kind === kind)) {
      const o = new Option(describe(n), n.id);
      o.dataset.risk = n.risk;
      o.dataset.kind = n.kind;
      o.dataset.color = colors[n.risk as Risk] ?? colors.unknown;
      group.append(o);
    }
    return group;
  });
  list.replaceChildren(...groups.filter((g) => g.children.length));
  list.hidden = nodes.length === 0;
}

function fillLegend(nodes: GraphNodeInfo[], colors: Record<Risk, string>): void {
  // The levels some key has (unknown only when some key has it).
  const shown = RISKS.filter((r) => r !== 'unknown' || nodes.some((n) => n.kind === 'key' && n.risk === r));
  legend.replaceChildren(
    ...shown.map((r) => {
      const item = document.createElement('span');
      item.className = 'risk';
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.style.background = colors[r];
      const keys = nodes.filter((n) => n.kind === 'key' && n.risk === r).length;
      item.append(chip, `${r} (${keys} key${keys === 1 ? '' : 's'})`);
      return item;
    }),
  );
}

function selected(): GraphNodeInfo | undefined {
  return current?.byId.get(list.value);
}

list.addEventListener('change', () => {
  const n = selected();
  if (!n || !cy) return;
  cy.nodes().unselect();
  const node = cy.getElementById(n.id);
  node.select();
  // The chosen node comes to the middle of the drawing (where a click reaches it); the page says when.
  delete chartEl.dataset.centred;
  cy.animate({ center: { eles: node } }, { duration: 150, complete: () => (chartEl.dataset.centred = n.id) });
  details.textContent = detailsOf(n);
});
list.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') open(selected());
});
list.addEventListener('dblclick', () => open(selected()));

/** Keyboard on the drawing: + / − zoom, 0 fits the whole graph. */
chartEl.addEventListener('keydown', (ev) => {
  if (!cy) return;
  const centre = { x: chartEl.clientWidth / 2, y: chartEl.clientHeight / 2 };
  if (ev.key === '+' || ev.key === '=') cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: centre });
  else if (ev.key === '-') cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: centre });
  else if (ev.key === '0') cy.fit(undefined, 24);
  else return;
  ev.preventDefault();
});

scope.addEventListener('change', () => {
  const [folderUri, dir] = scope.value ? (JSON.parse(scope.value) as [string, string]) : [undefined, undefined];
  vscode.postMessage({ type: 'scope', folderUri, dir });
});

window.addEventListener('resize', () => cy?.resize());
window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as { type: string; graph?: GraphResult; scope?: { folderUri: string; dir: string } | null };
  if (m.type !== 'data' || !m.graph) return;
  fillScope(m.graph, m.scope ?? null);
  // The same graph again (an edit that changed nothing here) keeps the zoom and the selection.
  const text = JSON.stringify(m.graph);
  if (text === last) return;
  last = text;
  draw(m.graph);
});

let last = '';

/** The scope picker: the whole workspace, then each package. */
function fillScope(g: GraphResult, chosen: { folderUri: string; dir: string } | null): void {
  const value = chosen ? JSON.stringify([chosen.folderUri, chosen.dir]) : '';
  scope.replaceChildren(new Option('whole workspace', ''), ...g.packages.map((p) => new Option(p.label, JSON.stringify([p.folderUri, p.dir]))));
  scope.value = value;
}

vscode.postMessage({ type: 'ready' });
