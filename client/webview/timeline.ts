/**
 * The timeline view: lanes per process and goroutine, marks per access, test spans, race
 * lines, drawn with ECharts custom series (SVG renderer). Zooming or panning asks the
 * extension for that window; the server answers with marks, or density when more than a
 * few thousand events are in view, so the drawing stays a few thousand shapes at any zoom.
 */
import * as echarts from 'echarts/core';
import { CustomChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts';
import type { TimelineWindow, TimelineMark, DensityCell } from '../../server/src/runs/timelineView';
import { opColors, openSite, themeColor, vscode } from './common';

echarts.use([CustomChart, DataZoomComponent, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

const el = document.getElementById('chart')!;
const details = document.getElementById('details')!;
const list = document.getElementById('marks') as HTMLSelectElement;
const summary = document.getElementById('summary')!;
const chart = echarts.init(el, undefined, { renderer: 'svg' });
let current: TimelineWindow | null = null;
let runEnd = 0;

/** µs as text: µs under a millisecond, ms under a second, else s. */
function time(us: number): string {
  if (Math.abs(us) < 1000) return `${us.toFixed(1)} µs`;
  if (Math.abs(us) < 1e6) return `${(us / 1000).toFixed(3)} ms`;
  return `${(us / 1e6).toFixed(3)} s`;
}

function markText(m: TimelineMark): string {
  const what = m.kind === 'start' ? 'process start' : m.kind === 'end' ? 'process end (last event)' : `${m.kind}${m.key ? ' ' + m.key : ''}`;
  return `${what} at ${time(m.t)}${m.site ? ' — ' + m.site : ''}`;
}

type Item = (p: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => CustomSeriesRenderItemReturn;

function laneBox(api: CustomSeriesRenderItemAPI, from: number, to: number, row: number, fill = 0.8) {
  const a = api.coord([from, row]);
  const b = api.coord([to, row]);
  const h = (api.size!([0, 1]) as number[])[1] * fill;
  return { x: a[0], y: a[1] - h / 2, width: Math.max(1, b[0] - a[0]), height: h };
}

function draw(w: TimelineWindow): void {
  current = w;
  runEnd = w.end;
  const colors = opColors();
  const warn = themeColor('editorWarning-foreground', '#cca700');
  const fg = themeColor('foreground', '#cccccc');
  const marks = w.marks ?? [];
  const density = w.density ?? [];
  const renderMark: Item = (p, api) => {
    const m = marks[p.dataIndex];
    const [x, y] = api.coord([m.t, m.row]);
    const h = (api.size!([0, 1]) as number[])[1] * (m.kind === 'start' || m.kind === 'end' ? 0.9 : 0.6);
    return { type: 'rect', shape: { x: x - 1.5, y: y - h / 2, width: 3, height: h }, style: { fill: colors[m.kind] }, name: `mark ${m.kind} ${m.key ?? ''}` };
  };
  const renderDensity: Item = (p, api) => {
    const c: DensityCell = density[p.dataIndex];
    return { type: 'rect', shape: laneBox(api, c.from, c.to, c.row, 0.7), style: { fill: colors[c.kind], opacity: 0.25 + 0.75 * c.level }, name: 'density' };
  };
  const renderTest: Item = (p, api) => {
    const s = w.tests[p.dataIndex];
    return { type: 'rect', shape: laneBox(api, s.from, s.to, s.row, 1), style: { fill: themeColor('charts-green', '#89d185'), opacity: 0.15 }, name: `test ${s.name}` };
  };
  const renderRace: Item = (p, api) => {
    const r = w.races[p.dataIndex];
    const a = api.coord([r.a.t, r.rowA]);
    const b = api.coord([r.b.t, r.rowB]);
    return { type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style: { stroke: warn, lineWidth: 2 }, name: `race ${r.key}` };
  };
  chart.setOption(
    {
      animation: false,
      aria: { enabled: true, label: { description: `Timeline of env accesses: ${w.lanes.length} lanes, ${w.count} events in view` } },
      grid: { left: 180, right: 24, top: 16, bottom: 64 },
      tooltip: { trigger: 'item', confine: true, backgroundColor: themeColor('editorHoverWidget-background', '#252526'), textStyle: { color: fg } },
      xAxis: { type: 'value', min: 0, max: w.end || 1, axisLabel: { color: fg, formatter: (v: number) => time(v) }, splitLine: { show: false } },
      // Every lane keeps its label while they fit (ECharts would otherwise thin them out by its own measure).
      yAxis: { type: 'category', inverse: true, data: w.lanes.map((l) => l.label), axisLabel: { color: fg, width: 170, overflow: 'truncate', interval: w.lanes.length * 14 <= el.clientHeight ? 0 : 'auto' } },
      dataZoom: [
        { type: 'inside', xAxisIndex: 0, filterMode: 'none', minValueSpan: 1, startValue: w.from, endValue: w.to },
        { type: 'slider', xAxisIndex: 0, filterMode: 'none', minValueSpan: 1, startValue: w.from, endValue: w.to, labelFormatter: (v: number) => time(v), textStyle: { color: fg } },
      ],
      series: [
        { id: 'tests', type: 'custom', renderItem: renderTest, data: w.tests.map((s) => [s.from, s.row, s.to]), tooltip: { formatter: (p: { dataIndex: number }) => `test ${w.tests[p.dataIndex].name}: ${time(w.tests[p.dataIndex].from)} – ${time(w.tests[p.dataIndex].to)}` } },
        { id: 'density', type: 'custom', renderItem: renderDensity, data: density.map((c) => [c.from, c.row, c.to]), tooltip: { formatter: (p: { dataIndex: number }) => `${density[p.dataIndex].count} events, mostly ${density[p.dataIndex].kind} (zoom in for marks)` } },
        { id: 'marks', type: 'custom', renderItem: renderMark, data: marks.map((m) => [m.t, m.row]), tooltip: { formatter: (p: { dataIndex: number }) => markText(marks[p.dataIndex]) } },
        { id: 'races', type: 'custom', renderItem: renderRace, data: w.races.map((r) => [r.a.t, r.rowA, r.b.t, r.rowB]), z: 10, tooltip: { formatter: (p: { dataIndex: number }) => `${w.races[p.dataIndex].level} race on ${w.races[p.dataIndex].key}: ${w.races[p.dataIndex].a.site} ↔ ${w.races[p.dataIndex].b.site}` } },
      ],
    },
    { replaceMerge: ['series'] },
  );
  summary.textContent = `${w.count} event${w.count === 1 ? '' : 's'} in ${time(w.to - w.from)}${w.density ? ' (density: zoom in for marks)' : ''}${w.racesPending ? ' · analysing races…' : ''}`;
  list.replaceChildren(...marks.filter((m) => m.site).slice(0, 500).map((m, i) => new Option(markText(m), String(i))));
  list.hidden = marks.length === 0;
  document.body.dataset.picture = 'timeline';
  document.body.dataset.state = 'drawn';
  document.body.dataset.mode = w.density ? 'density' : 'marks';
  document.body.dataset.races = w.racesPending ? 'pending' : 'placed';
}

chart.on('click', (p: { seriesId?: string; dataIndex: number }) => {
  if (!current) return;
  if (p.seriesId === 'marks' && current.marks) openSite(current.marks[p.dataIndex].site);
  else if (p.seriesId === 'races') openSite(current.races[p.dataIndex].a.site);
});
chart.on('mouseover', (p: { seriesId?: string; dataIndex: number }) => {
  if (p.seriesId === 'marks' && current?.marks) details.textContent = markText(current.marks[p.dataIndex]);
});

let pending: ReturnType<typeof setTimeout> | undefined;
/** The zoomed window changed: ask for it (debounced so a wheel gesture is one request). */
chart.on('datazoom', () => {
  const dz = (chart.getOption() as { dataZoom: { startValue: number; endValue: number }[] }).dataZoom[0];
  clearTimeout(pending);
  pending = setTimeout(() => request(dz.startValue, dz.endValue), 80);
});

function request(from?: number, to?: number): void {
  vscode.postMessage({ type: 'window', from, to, columns: el.clientWidth || 1000 });
}

/** Keyboard: + / - zoom around the middle, ← / → pan, 0 shows the whole run; Enter on a listed mark opens it. */
document.addEventListener('keydown', (ev) => {
  if (!current || ev.target === list) return;
  const span = current.to - current.from;
  const mid = (current.from + current.to) / 2;
  let from: number | undefined;
  let to: number | undefined;
  if (ev.key === '+' || ev.key === '=') [from, to] = [mid - span / 4, mid + span / 4];
  else if (ev.key === '-') [from, to] = [mid - span, mid + span];
  else if (ev.key === 'ArrowLeft') [from, to] = [current.from - span / 4, current.to - span / 4];
  else if (ev.key === 'ArrowRight') [from, to] = [current.from + span / 4, current.to + span / 4];
  else if (ev.key === '0') [from, to] = [0, runEnd];
  else return;
  const lo = Math.max(0, from);
  chart.dispatchAction({ type: 'dataZoom', startValue: lo, endValue: Math.max(lo + 1, Math.min(runEnd, to)) });
  ev.preventDefault();
});
list.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Enter' || !current?.marks) return;
  const m = current.marks.filter((x) => x.site)[Number(list.value)];
  if (m) openSite(m.site);
});
list.addEventListener('dblclick', () => list.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' })));

window.addEventListener('resize', () => chart.resize());
window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as { type: string; window?: TimelineWindow };
  if (m.type === 'data' && m.window) draw(m.window);
});
request();
