/** What an import skipped and why, counted per source and reason (never one line per record). */
export class ImportNotes {
  /** The source being read (a file or directory, as given). */
  source = '';
  /** Records or files seen before (the same `envtrace.record.id`, process or report). */
  duplicates = 0;
  private readonly counts = new Map<string, number>();

  /** Counts one thing skipped in the current source. */
  add(reason: string): void {
    const k = `${this.source}: ${reason}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }

  /** One line per source and reason: `<source>: <reason>` or `<source>: N × <reason>`. */
  lines(): string[] {
    return [...this.counts].map(([k, n]) => (n === 1 ? k : k.replace(/: /, `: ${n} × `)));
  }
}
