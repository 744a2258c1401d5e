/**
 * The one definition of how many keys a run read, shown alike by the status bar, the
 * terminal summary, the runs lists, the Environment view's process nodes and the exported
 * inventory: a key counts when the program read it — a getenv event, not one of the Go
 * runtime's own start-up reads (GODEBUG, GOGC, …; api `runtime`) and not the lookup that
 * `t.Setenv` makes to save the old value (api `testing.*.Setenv`). A key counts as unset
 * when at least one such read found it unset. Patterns (`FEATURE_*`) are not keys: the
 * keys they matched are.
 */

/** True when an event is one of the program's own reads of its key. */
export function isProgramRead(op: string, api: string | null | undefined): boolean {
  // NOTE: the prefix test first: this runs once per event.
  return op === 'getenv' && api !== 'runtime' && !(api?.startsWith('testing.') && /^testing\.\w+\.Setenv$/.test(api));
}

/** The counts of keys read and keys found unset. */
export interface KeyCounts {
  keys: number;
  unset: number;
}

/** Counts keys by the definition above, over events fed one (or one group) at a time. */
export class KeyCounter {
  private readonly read = new Set<string>();
  private readonly unsetKeys = new Set<string>();

  /** Adds an event (or a group of equal events) of `key`. */
  add(key: string | null | undefined, op: string, api: string | null | undefined, found: boolean): void {
    if (key === null || key === undefined || !isProgramRead(op, api)) return;
    this.read.add(key);
    if (!found) this.unsetKeys.add(key);
  }

  /** The keys read so far, sorted. */
  keys(): string[] {
    return [...this.read].sort();
  }

  counts(): KeyCounts {
    return { keys: this.read.size, unset: this.unsetKeys.size };
  }
}
