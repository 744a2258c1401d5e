/**
 * The text trace's place for deferred env calls. Go runs `defer os.Unsetenv(k)` when its
 * function exits, so the recorded frame is a `return` line or the closing brace; the scan
 * knows those lines for each deferred site (Site.deferred), as the merge uses them for the
 * editor. Here a trace line at such an exit is moved to the `defer` statement itself.
 */
import { type TraceLine, traceOrder } from '../runs/aggregate';
import type { Site } from '../scan/types';
import { keyFits, siteOp } from './merge';

/** The `defer` line a trace line belongs to, or null when no single deferred site of its file explains it. */
function deferLine(l: TraceLine, sites: readonly Site[]): number | null {
  if (l.line === null) return null;
  const at = new Set<number>();
  for (const s of sites) {
    if (s.deferred?.includes(l.line) && siteOp(s) === l.op && keyFits(s, l.key, false)) at.add(s.line);
  }
  return at.size === 1 ? [...at][0] : null;
}

/** What makes two trace lines one line of output (all but count and order). */
function identity(l: TraceLine): string {
  return JSON.stringify([l.file, l.line, l.op, l.api, l.key, l.found, l.value, l.hash, l.length, l.path, l.otherValues]);
}

/**
 * The trace lines with deferred calls placed on their `defer` statements; `sitesOf` gives the
 * scanned sites of a trace line's file (undefined when not scanned). Lines that land on the
 * same place with the same value become one (counts added); the order stays the trace's.
 */
export function placeDeferredLines(lines: readonly TraceLine[], sitesOf: (file: string) => readonly Site[] | undefined): TraceLine[] {
  const out = new Map<string, TraceLine>();
  for (const l of lines) {
    const sites = l.file === null ? undefined : sitesOf(l.file);
    const line = sites ? deferLine(l, sites) : null;
    const placed = line === null ? l : { ...l, line };
    const id = identity(placed);
    const same = out.get(id);
    if (same) out.set(id, { ...same, count: same.count + placed.count, first: Math.min(same.first, placed.first) });
    else out.set(id, placed);
  }
  return [...out.values()].sort(traceOrder);
}
