// d3-flame-graph ships no types: the subset of its chart API the flame view uses.
declare module 'd3-flame-graph' {
  export interface HierarchyNode<T> {
    data: T;
    value: number;
    depth: number;
  }
  export interface FlameChart<T> {
    (selection: unknown): void;
    width(w: number): FlameChart<T>;
    cellHeight(h: number): FlameChart<T>;
    minFrameSize(n: number): FlameChart<T>;
    transitionDuration(ms: number): FlameChart<T>;
    selfValue(b: boolean): FlameChart<T>;
    inverted(b: boolean): FlameChart<T>;
    sort(b: boolean): FlameChart<T>;
    setColorMapper(fn: (d: HierarchyNode<T>, original: string) => string): FlameChart<T>;
    setLabelHandler(fn: (d: HierarchyNode<T>) => string): FlameChart<T>;
    setDetailsElement(el: HTMLElement | null): FlameChart<T>;
    onClick(fn: (d: HierarchyNode<T>) => void): FlameChart<T>;
    resetZoom(): void;
    update(data?: T): void;
    destroy(): void;
  }
  export default function flamegraph<T>(): FlameChart<T>;
}

// d3-selection's types live in @types/d3-selection; the view needs one call.
declare module 'd3-selection' {
  interface Selection {
    datum(d: unknown): Selection;
    call(fn: (s: Selection) => void): Selection;
  }
  export function select(el: Element): Selection;
}
