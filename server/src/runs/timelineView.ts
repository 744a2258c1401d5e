/**
 * Windows of a timeline for drawing: the marks themselves when few enough fall in the
 * window, else density (events per lane per pixel column), so a million-event run costs
 * a few thousand drawn items at any zoom. Times are µs from the run's start.
 */
import { kindName, type MarkKind, type Lane, type RaceLink, type TestSpan, type Timeline } from './timeline';

/** Mark kinds from here on are process marks (start, end), shown whatever the key. */
const PROCESS_KINDS = 7;

/** Above this many marks in a window, the window is drawn as density. */
export const MAX_MARKS = 4000;

/** One drawn access or process mark. */
export interface TimelineMark {
  t: number;
  /** Row in `lanes` of the view (display order). */
  row: number;
  kind: MarkKind;
  key?: string;
  /** `file:line`, '' when unknown. */
  site: string;
}

/** Above this many density cells, the window is binned coarser: each cell is a shape to draw. */
export const MAX_CELLS = 4000;

/** Steps of a cell's `level`: neighbouring columns of a lane on the same step are one cell. */
const LEVELS = 8;

/** One density cell: `count` events of row `row` between `from` and `to` (one or more neighbouring columns). */
export interface DensityCell {
  row: number;
  from: number;
  to: number;
  count: number;
  /** The most frequent mark kind in the cell. */
  kind: MarkKind;
  /** How busy its columns are, 1/8 to 1: log(events per column) against the window's busiest column. */
  level: number;
}

/** What the webview draws for a window. */
export interface TimelineWindow {
  lanes: Lane[];
  /** The run's extent (µs). */
  start: number;
  end: number;
  /** The window asked for. */
  from: number;
  to: number;
  /** Events in the window. */
  count: number;
  marks: TimelineMark[] | null;
  density: DensityCell[] | null;
  /** The key the window is limited to, if any. */
  key?: string;
  tests: (TestSpan & { row: number })[];
  races: (RaceLink & { rowA: number; rowB: number })[];
  /** Race analysis has not finished: `races` is empty for now; ask again with `waitForRaces`. */
  racesPending: boolean;
}

function lowerBound(t: Float64Array, order: Uint32Array, x: number): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[order[mid]] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The window [from, to] (the whole run when absent) for a drawing `columns` pixels wide;
 * with `key`, only that key's accesses (and the process marks).
 */
export function timelineWindow(tl: Timeline, from?: number, to?: number, columns = 1000, key?: string): TimelineWindow {
  const lo = Math.max(0, from ?? 0);
  const hi = Math.max(lo + 1e-3, to ?? tl.end);
  let order = tl.timeOrder();
  const { t, lane, kind, site } = tl.cols;
  const keyOf = tl.cols.key;
  let first = lowerBound(t, order, lo);
  let last = lowerBound(t, order, hi + 1e-9);
  if (key !== undefined) {
    const k = tl.keys.find(key);
    const kept: number[] = [];
    for (let j = first; j < last; j++) if (keyOf[order[j]] === k || kind[order[j]] >= PROCESS_KINDS) kept.push(order[j]);
    order = Uint32Array.from(kept);
    first = 0;
    last = kept.length;
  }
  const laneOrder = tl.laneOrder();
  const rowOf = new Uint32Array(tl.lanes.length);
  laneOrder.forEach((l, row) => (rowOf[l] = row));
  const count = last - first;
  let marks: TimelineMark[] | null = null;
  let density: DensityCell[] | null = null;
  if (count <= MAX_MARKS) {
    marks = [];
    for (let j = first; j < last; j++) {
      const i = order[j];
      const m: TimelineMark = { t: t[i], row: rowOf[lane[i]], kind: kindName(kind[i]), site: tl.sites.list[site[i]] };
      if (keyOf[i] >= 0) m.key = tl.keys.list[keyOf[i]];
      marks.push(m);
    }
  } else {
    // A column is 2 px; fewer and wider while the lanes' runs of alike columns are too many to draw.
    for (let bins = Math.max(1, Math.floor(columns / 2)); ; bins = Math.floor(bins / 2)) {
      density = bin(tl, order, first, last, lo, hi, bins, rowOf);
      if (density.length <= MAX_CELLS || bins < 16) break;
    }
  }
  const inWindow = (a: number, b: number) => b >= lo && a <= hi;
  return {
    lanes: laneOrder.map((l) => tl.lanes[l]),
    start: 0,
    end: tl.end,
    from: lo,
    to: hi,
    count,
    key,
    marks,
    density,
    racesPending: !tl.racesPlaced,
    tests: tl.tests.filter((s) => inWindow(s.from, s.to)).map((s) => ({ ...s, row: rowOf[s.lane] })),
    races: tl.races.filter((r) => (key === undefined || r.key === key) && inWindow(Math.min(r.a.t, r.b.t), Math.max(r.a.t, r.b.t))).map((r) => ({ ...r, rowA: rowOf[r.a.lane], rowB: rowOf[r.b.lane] })),
  };
}

function bin(tl: Timeline, order: Uint32Array, first: number, last: number, lo: number, hi: number, bins: number, rowOf: Uint32Array): DensityCell[] {
  const { t, lane, kind } = tl.cols;
  const width = (hi - lo) / bins;
  const kinds = 9;
  // Per (row, bin): counts per kind, in one flat array keyed sparsely.
  const cells = new Map<number, Uint32Array>();
  for (let j = first; j < last; j++) {
    const i = order[j];
    const b = Math.min(bins - 1, Math.floor((t[i] - lo) / width));
    const id = rowOf[lane[i]] * bins + b;
    let c = cells.get(id);
    if (!c) cells.set(id, (c = new Uint32Array(kinds)));
    c[kind[i]]++;
  }
  // Per lane, left to right: neighbouring columns with the same top kind and level make one cell.
  const ids = Float64Array.from(cells.keys()).sort();
  const totals = new Map<number, { count: number; top: number }>();
  let busiest = 1;
  for (const id of ids) {
    const c = cells.get(id)!;
    let total = 0;
    let top = 0;
    for (let k = 0; k < kinds; k++) {
      total += c[k];
      if (c[k] > c[top]) top = k;
    }
    totals.set(id, { count: total, top });
    if (total > busiest) busiest = total;
  }
  const out: DensityCell[] = [];
  let prev: DensityCell | undefined;
  let prevId = -2;
  for (const id of ids) {
    const { count, top } = totals.get(id)!;
    const row = Math.floor(id / bins);
    const b = id % bins;
    const level = Math.max(1, Math.round((LEVELS * Math.log1p(count)) / Math.log1p(busiest))) / LEVELS;
    const kindOf = kindName(top);
    if (prev && id === prevId + 1 && b !== 0 && prev.kind === kindOf && prev.level === level) {
      prev.to = lo + (b + 1) * width;
      prev.count += count;
    } else out.push((prev = { row, from: lo + b * width, to: lo + (b + 1) * width, count, kind: kindOf, level }));
    prevId = id;
  }
  return out;
}
