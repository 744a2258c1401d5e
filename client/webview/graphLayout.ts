/**
 * Where the dependency graph's nodes go: three columns (keys, the functions that use them, the
 * sinks), each ordered to keep edges short and uncrossed (a few barycentre sweeps, the usual
 * layered-graph heuristic), columns as wide as their widest node. Pure: no DOM, no cytoscape.
 */

export interface LayoutNode {
  id: string;
  kind: 'key' | 'function' | 'sink';
  /** Drawn size in pixels. */
  width: number;
  height: number;
  /** Initial order within the column (ties keep it). */
  rank: number;
}

export interface Point {
  x: number;
  y: number;
}

const COLUMNS = ['key', 'function', 'sink'] as const;
/** Horizontal gap between columns and vertical gap between nodes, in pixels. */
const COLUMN_GAP = 90;
const ROW_GAP = 10;
const SWEEPS = 4;

/** Centre points of every node by id. */
export function layeredLayout(nodes: readonly LayoutNode[], edges: readonly { from: string; to: string }[]): Map<string, Point> {
  const cols = COLUMNS.map((k) => nodes.filter((n) => n.kind === k).sort((a, b) => a.rank - b.rank));
  const links = new Map<string, string[]>();
  const link = (a: string, b: string) => links.set(a, [...(links.get(a) ?? []), b]);
  for (const e of edges) {
    link(e.from, e.to);
    link(e.to, e.from);
  }
  const index = new Map<string, number>();
  const reindex = () => cols.forEach((c) => c.forEach((n, i) => index.set(n.id, i)));
  reindex();
  // Order a column by the mean place of its neighbours in the column beside it.
  const order = (col: number, by: number) => {
    const beside = new Set(cols[by].map((n) => n.id));
    const centre = (n: LayoutNode) => {
      const ps = (links.get(n.id) ?? []).filter((x) => beside.has(x)).map((x) => index.get(x)!);
      return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : index.get(n.id)!;
    };
    const keyed = cols[col].map((n) => ({ n, c: centre(n), i: index.get(n.id)! }));
    keyed.sort((a, b) => a.c - b.c || a.i - b.i);
    cols[col] = keyed.map((k) => k.n);
    reindex();
  };
  for (let s = 0; s < SWEEPS; s++) {
    order(1, 0);
    order(2, 1);
    order(1, 2);
    order(0, 1);
  }
  order(1, 0);
  order(2, 1);
  const out = new Map<string, Point>();
  let x = 0;
  for (const col of cols) {
    if (!col.length) continue;
    const width = Math.max(...col.map((n) => n.width));
    const height = col.reduce((h, n) => h + n.height, 0) + ROW_GAP * (col.length - 1);
    let y = -height / 2;
    for (const n of col) {
      out.set(n.id, { x: x + width / 2, y: y + n.height / 2 });
      y += n.height + ROW_GAP;
    }
    x += width + COLUMN_GAP;
  }
  return out;
}
