/**
 * A bound on how deep in a syntax tree the extractor starts its upward walks (issue 10).
 *
 * NOTE: tree-sitter finds a node's parent by walking down from the root, so `Node.parent`
 * costs O(depth) and every walk from a node up to its function or scope costs O(depth²):
 * 10,000 nested calls `f(f(…))` took 11.7 s to scan and 25 s to index. A cursor walks down
 * to a position in O(depth), so the depth of every node the extractor would walk up from is
 * measured that way first, and nodes nested too deep are left out, counted for a note.
 */
import type { Node, TreeCursor } from 'web-tree-sitter';

/** The deepest syntax level the extractor walks up from (ordinary Go code stays far below). */
export const MAX_WALK_DEPTH = 256;
/** Past this much walking (the sum of depth² over a file's nodes), only shallow nodes are read. */
const WALK_BUDGET = 4_000_000;
/** The depth up to which nodes are read after the budget ran out. */
const SHALLOW_DEPTH = 48;

/** Admits the nodes of one tree the extractor may walk up from; counts the ones it may not. */
export class DepthGuard {
  private cursor: TreeCursor | null = null;
  private spent = 0;
  /** Positions left out (each once), and the largest limit they went past. */
  private readonly left = new Set<number>();
  private deepest = 0;
  /** Ranges of nodes found too deep, sorted and disjoint. */
  private readonly deep: { start: number; end: number }[] = [];

  constructor(private readonly root: Node) {}

  /** Whether the leaf at `index` (UTF-16 offset) is shallow enough to walk up from. */
  admits(index: number): boolean {
    if (this.inDeep(index)) {
      this.left.add(index);
      return false;
    }
    const c = (this.cursor ??= this.root.walk());
    c.reset(this.root);
    const limit = this.spent > WALK_BUDGET ? SHALLOW_DEPTH : MAX_WALK_DEPTH;
    while (c.gotoFirstChildForIndex(index)) {
      if (c.currentDepth > limit) {
        this.left.add(index);
        this.deepest = Math.max(this.deepest, limit);
        this.addDeep(c.startIndex, c.endIndex);
        return false;
      }
    }
    this.spent += c.currentDepth * c.currentDepth;
    return true;
  }

  /** Whether `index` lies in a node already found too deep (then everything inside it is). */
  private inDeep(index: number): boolean {
    const i = this.firstEndingAfter(index);
    return i < this.deep.length && this.deep[i].start <= index;
  }

  /** Remembers a too-deep node's range; such ranges nest or are disjoint, and an outer one replaces the inner. */
  private addDeep(start: number, end: number): void {
    const i = this.firstEndingAfter(start);
    let j = i;
    while (j < this.deep.length && this.deep[j].end <= end) j++;
    this.deep.splice(i, j - i, { start, end });
  }

  /** The first stored range that ends after `index` (binary search). */
  private firstEndingAfter(index: number): number {
    let lo = 0;
    let hi = this.deep.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.deep[mid].end <= index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The note for the file when nodes were left out, else null. */
  note(): string | null {
    if (!this.left.size) return null;
    const what = this.left.size === 1 ? '1 place' : `${this.left.size} places`;
    const budget = this.deepest < MAX_WALK_DEPTH ? `, the file's budget for deep code being spent` : '';
    return `${what} not scanned: syntax nested more than ${this.deepest} levels deep${budget}`;
  }

  /** Frees the cursor (wasm memory). */
  delete(): void {
    this.cursor?.delete();
    this.cursor = null;
  }
}
