/** Building blocks of the compact per-event columns behind the pictures (flame graph, timeline). */

type TypedColumn = Float64Array | Uint32Array | Int32Array | Uint8Array;

/** `a` copied into one twice as long (columns grow by doubling, as arrays do). */
export function grown<T extends TypedColumn>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(1024, a.length * 2));
  b.set(a);
  return b;
}

/** Interns strings to small integers. */
export class Table {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) this.ids.set(s, (i = this.list.push(s) - 1));
    return i;
  }
  /** The id of `s`, or -1 when it was never interned. */
  find(s: string): number {
    return this.ids.get(s) ?? -1;
  }
}
