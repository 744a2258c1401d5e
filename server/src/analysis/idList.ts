/**
 * A set of numbers kept as a list, for an entry's processes and goroutines. The reader goes
 * through a run one process file at a time, so an entry meets its values in groups (a process,
 * then that process's goroutines) and a value of a new group is new: `add` looks for it only
 * within the current group, where a Set per entry did a hash insertion per event into tables
 * that, over a fleet of 200 processes, no longer fit in the caches.
 */

/** Above this many values in one group, the group gets a Set to look them up. */
const INDEX_AFTER = 16;

export class IdList implements Iterable<number> {
  private readonly items: number[] = [];
  /** Where the current group starts: `add` compares with the values from there. */
  private from = 0;
  /** The current group's values, once it has more than INDEX_AFTER. */
  private index: Set<number> | undefined;
  private top = -Infinity;

  /** A list of `values` (looked up as one group). */
  static of(values: Iterable<number>): IdList {
    const l = new IdList();
    for (const v of values) l.add(v);
    return l;
  }

  get size(): number {
    return this.items.length;
  }

  /** The largest value, or -Infinity. */
  max(): number {
    return this.top;
  }

  /**
   * Starts a group: the caller promises that no value it adds until the next `group` or
   * `ungroup` is in the list already (e.g. goroutines of a process this entry first meets).
   */
  group(): void {
    this.from = this.items.length;
    this.index = undefined;
  }

  /** Ends the promise: later adds look through the whole list. */
  ungroup(): void {
    this.from = 0;
    this.index = undefined;
  }

  has(v: number): boolean {
    return this.items.includes(v);
  }

  /** Adds `v` unless the current group has it. */
  add(v: number): this {
    const items = this.items;
    if (this.index !== undefined) {
      if (!this.index.has(v)) {
        this.index.add(v);
        items.push(v);
        if (v > this.top) this.top = v;
      }
      return this;
    }
    for (let i = this.from; i < items.length; i++) if (items[i] === v) return this;
    items.push(v);
    if (v > this.top) this.top = v;
    if (items.length - this.from > INDEX_AFTER) this.index = new Set(items.slice(this.from));
    return this;
  }

  [Symbol.iterator](): Iterator<number> {
    return this.items[Symbol.iterator]();
  }
}
