/**
 * One file from text to facts: choose the top-level declarations worth parsing (those that
 * mention an env API or a helper name, plus package, imports and constants), parse only
 * those with tree-sitter's included ranges, and extract the facts. Never throws.
 */
import type { Parser, Range, Tree } from 'web-tree-sitter';
import { API_WORDS } from './apis';
import { lineStarts, pointAt, topLevelChunks } from './chunks';
import { FactExtractor } from './facts';
import type { FileFacts } from './fileFacts';
import { libraryWords } from './libraryFacts';

/** Counters for benchmarks: how much was parsed, and how much of it was skipped. */
export interface ParseStats {
  parses: number;
  parsedChars: number;
  skippedChars: number;
  parseMs: number;
  /** Files whose extraction threw (caught: they just have no facts); should stay 0. */
  failures: number;
}

/** Fresh zeroed counters. */
export function newStats(): ParseStats {
  return { parses: 0, parsedChars: 0, skippedChars: 0, parseMs: 0, failures: 0 };
}

/** More work on a parsed file's tree before it is freed (the uses analysis' local flows: workspace.ts). */
export type TreeHook = (tree: Tree, text: string, facts: FileFacts) => void;

/** The start of a caarlos0/env tag: `env:"` or `envPrefix:"`. */
const ENV_TAG = /(?<!\w)env(?:Prefix)?:"/g;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A global regex matching any of `words` as a whole word, or null for none. */
export function wordsRegex(words: Iterable<string>): RegExp | null {
  const list = [...words];
  return list.length ? new RegExp(`\\b(?:${list.map(escapeRe).join('|')})\\b`, 'g') : null;
}

/**
 * Parses what matters of `text` and returns its facts (null if even that failed).
 * `words`: helper names whose calls to record; `constOnly`: only package, imports, constants;
 * `withTypes`: also struct types and package-level variables; `onTree`: runs on the tree and the
 * facts (not for `constOnly`); what it throws costs only its own work.
 */
export function extractFacts(parser: Parser, text: string, words: Iterable<string>, constOnly: boolean, stats?: ParseStats, withTypes = false, onTree?: TreeHook): FileFacts | null {
  const wordsRe = wordsRegex(words);
  // Files of config libraries (or with env tags) also need their types and package-level variables.
  // `withTypes`: a struct type some library call needs is declared here.
  const libRe = libraryWords(text) ?? (withTypes ? /(?!)/g : null);
  const hits: number[] = [];
  // caarlos0/env tags inside a function (a local struct type, maybe parsed by a helper elsewhere).
  const tagHits: number[] = [];
  if (libRe && !constOnly) {
    ENV_TAG.lastIndex = 0;
    for (let m = ENV_TAG.exec(text); m; m = ENV_TAG.exec(text)) tagHits.push(m.index);
  }
  if (!constOnly) {
    for (const re of [API_WORDS, wordsRe, libRe]) {
      if (!re) continue;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) hits.push(m.index);
    }
    hits.sort((a, b) => a - b);
  }
  const wanted: { start: number; end: number }[] = [];
  const searched: { start: number; end: number }[] = [];
  let h = 0;
  let t = 0;
  for (const c of topLevelChunks(text)) {
    let hit = false;
    while (h < hits.length && hits[h] < c.end) {
      if (hits[h] >= c.start) hit = true;
      h++;
    }
    if (hit) searched.push(c);
    let tagged = false;
    while (t < tagHits.length && tagHits[t] < c.end) {
      if (tagHits[t] >= c.start) tagged = true;
      t++;
    }
    const libDecl = libRe !== null && (c.kind === 'type' || c.kind === 'var' || tagged);
    if (hit || libDecl || c.kind === 'package' || c.kind === 'import' || c.kind === 'const') {
      const last = wanted[wanted.length - 1];
      if (last && last.end === c.start) last.end = c.end;
      else wanted.push({ start: c.start, end: c.end });
    }
  }
  const size = wanted.reduce((n, r) => n + r.end - r.start, 0);
  const whole = size > 0.8 * text.length;
  const t0 = performance.now();
  try {
    let tree;
    if (whole) tree = parser.parse(text);
    else {
      const starts = lineStarts(text);
      const ranges: Range[] = wanted.map((r) => ({ startIndex: r.start, endIndex: r.end, startPosition: pointAt(starts, r.start), endPosition: pointAt(starts, r.end) }));
      tree = parser.parse(text, null, { includedRanges: ranges });
    }
    if (!tree) return null;
    try {
      const facts = new FactExtractor(tree, text).run(searched, wordsRe, libRe);
      if (onTree && !constOnly) {
        try {
          onTree(tree, text, facts);
        } catch {
          // the hook's work is done again where it is needed
        }
      }
      return facts;
    } finally {
      tree.delete();
    }
  } catch {
    // NOTE: tree-sitter recovers from any syntax error; this guards against surprises in
    // the extraction itself, so one strange file costs its own sites and nothing else.
    if (stats) stats.failures++;
    return null;
  } finally {
    if (stats) {
      stats.parses++;
      stats.parsedChars += whole ? text.length : size;
      stats.skippedChars += whole ? 0 : text.length - size;
      stats.parseMs += performance.now() - t0;
    }
  }
}
