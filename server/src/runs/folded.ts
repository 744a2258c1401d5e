/**
 * The collapsed-stack ("folded") format that flamegraph.pl, inferno and speedscope read:
 * one line per distinct stack, `root;frame;…;leaf count`, frames root first.
 */
import type { FlamePath } from './flame';

/** A frame name as folded text allows it: no `;` (the separator), no line breaks, no trailing space before the count. */
export function foldedName(name: string): string {
  const clean = name.replace(/[;\r\n]/g, '_').trim();
  return clean === '' ? '?' : clean;
}

/** The folded text of `paths`: identical names merged, lines sorted (as inferno's collapse tools do). */
export function foldedText(paths: readonly FlamePath[]): string {
  const lines = new Map<string, number>();
  for (const p of paths) {
    const stack = p.frames.map((f) => foldedName(f.function)).join(';');
    lines.set(stack, (lines.get(stack) ?? 0) + p.count);
  }
  return [...lines].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([s, n]) => `${s} ${n}\n`).join('');
}

/** The grammar of one folded line: frames without `;` or line breaks, `;`-separated, a space, a positive count. */
export const FOLDED_LINE = /^[^;\r\n]+(?:;[^;\r\n]+)* [1-9]\d*$/;
