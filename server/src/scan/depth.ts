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
  /** Positions left out (each once), and the deepest level seen among them. */
  private readonly left = new Set<number>();
  private deepest = 0;

  constructor(private readonly root: Node) {}

  /** Whether the leaf at `index` (UTF-16 offset) is shallow enough to walk up from. */
  admits(index: number): boolean {
    const c = (this.cursor ??= this.root.walk());
    c.reset(this.root);
    const limit = this.spent > WALK_BUDGET ? SHALLOW_DEPTH : MAX_WALK_DEPTH;
    while (c.gotoFirstChildForIndex(index)) {
      if (c.currentDepth > limit) {
        this.left.add(index);
        // Measure on (cheap) for the note, but no further than needed to say "deeper than".
        while (c.currentDepth < 4 * MAX_WALK_DEPTH && c.gotoFirstChildForIndex(index));
        this.deepest = Math.max(this.deepest, c.currentDepth);
        return false;
      }
    }
    this.spent += c.currentDepth * c.currentDepth;
    return true;
  }

  /** The note for the file when nodes were left out, else null. */
  note(): string | null {
    if (!this.left.size) return null;
    const what = this.left.size === 1 ? '1 place' : `${this.left.size} places`;
    const depth = this.deepest >= 4 * MAX_WALK_DEPTH ? `more than ${4 * MAX_WALK_DEPTH}` : String(this.deepest);
    return `${what} not scanned: syntax nested ${depth} levels deep (the scanner reads up to ${MAX_WALK_DEPTH})`;
  }

  /** Frees the cursor (wasm memory). */
  delete(): void {
    this.cursor?.delete();
    this.cursor = null;
  }
}
