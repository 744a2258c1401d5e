/**
 * Parses only the top-level declarations the uses analysis asks about (with the package clause
 * and imports), as the scanner does: a function that holds a site or a name the value escapes
 * to. A later question about another declaration of the same file parses it again with the
 * union; the trees of a file's earlier parse are freed then, so a caller keeps nodes of one
 * file only until it asks that file about other places.
 */
import type { Parser, Range } from 'web-tree-sitter';
import { lineStarts, pointAt, topLevelChunks, type Chunk } from '../scan/chunks';
import { viewOf, type FileView } from './view';

interface Parsed {
  text: string;
  chunks: Chunk[];
  starts: number[];
  /** Indexes into `chunks` of the parsed declarations. */
  have: Set<number>;
  view: FileView | null;
  /** Characters the last parse of this file covered (0: not parsed yet). */
  parsed: number;
}

export class PartialTrees {
  private readonly files = new Map<string, Parsed>();
  parses = 0;

  constructor(private readonly parser: Parser) {}

  /** The line starts of a file's text (for a site's offset). */
  lineStarts(rel: string, text: string): number[] {
    return this.entry(rel, text).starts;
  }

  /** A view of `rel` in which the declarations holding `offsets` are parsed. */
  view(rel: string, text: string, offsets: number[]): FileView | null {
    const e = this.entry(rel, text);
    const need = new Set<number>();
    for (const o of offsets) {
      const i = e.chunks.findIndex((c) => c.start <= o && o < c.end);
      if (i >= 0 && !e.have.has(i)) need.add(i);
    }
    if (e.view && !need.size) return e.view;
    for (const i of need) e.have.add(i);
    e.chunks.forEach((c, i) => (c.kind === 'package' || c.kind === 'import') && e.have.add(i));
    e.view?.tree.delete();
    const len = (i: number) => e.chunks[i].end - e.chunks[i].start;
    let size = [...e.have].reduce((n, i) => n + len(i), 0);
    // A parse after the first covers at least twice what the last one did (the declarations
    // beside those asked about come along): a file asked about one declaration after another
    // (each field of a long test file) is parsed a few times, not once per question.
    for (let lo = Math.min(...need), hi = Math.max(...need); size < 2 * e.parsed && (lo > 0 || hi < e.chunks.length - 1); ) {
      for (const i of [--lo, ++hi]) if (i >= 0 && i < e.chunks.length && !e.have.has(i)) (e.have.add(i), (size += len(i)));
    }
    const whole = size > 0.8 * text.length;
    const wanted = [...e.have].sort((a, b) => a - b).map((i) => e.chunks[i]);
    const ranges: Range[] = wanted.map((c) => ({ startIndex: c.start, endIndex: c.end, startPosition: pointAt(e.starts, c.start), endPosition: pointAt(e.starts, c.end) }));
    const tree = whole ? this.parser.parse(text) : this.parser.parse(text, null, { includedRanges: ranges });
    // A whole parse answers every later question about the file.
    if (whole) e.chunks.forEach((_, i) => e.have.add(i));
    e.parsed = whole ? text.length : size;
    this.parses++;
    e.view = tree ? viewOf(tree, rel, text) : null;
    return e.view;
  }

  delete(): void {
    for (const e of this.files.values()) e.view?.tree.delete();
    this.files.clear();
  }

  private entry(rel: string, text: string): Parsed {
    let e = this.files.get(rel);
    if (!e) {
      e = { text, chunks: topLevelChunks(text), starts: lineStarts(text), have: new Set(), view: null, parsed: 0 };
      this.files.set(rel, e);
    }
    return e;
  }
}
