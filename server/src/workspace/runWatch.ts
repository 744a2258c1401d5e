/**
 * A file-system watcher for a run store, for clients that cannot register file watchers
 * (and stores outside every workspace folder): watches the store recursively once it
 * exists, and its nearest existing parent until then. Changes are reported debounced.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';

/** How long a burst of file events (a run being written) is gathered before reporting. */
const DEBOUNCE_MS = 150;

/** Watches `<storeDir>/runs` and calls `changed` after changes settle; `close()` stops it. */
export class RunStoreWatcher {
  private watcher: FSWatcher | null = null;
  private watching = '';
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly storeDir: string,
    private readonly changed: () => void,
    private readonly log: (m: string) => void,
  ) {
    this.arm();
  }

  /** Stops watching. */
  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Watches the runs directory when it exists, else the nearest existing ancestor (for its creation). */
  private arm(): void {
    if (this.closed) return;
    const runs = join(this.storeDir, 'runs');
    let target = runs;
    while (!existsSync(target) && dirname(target) !== target) target = dirname(target);
    if (target === this.watching && this.watcher) return;
    this.watcher?.close();
    this.watching = target;
    const recursive = target === runs;
    try {
      this.watcher = watch(target, { recursive, persistent: false }, () => this.fire(recursive));
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
        this.fire(false);
      });
    } catch (e) {
      this.watcher = null;
      this.log(`envtrace: cannot watch ${target}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private fire(inRuns: boolean): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!inRuns || !existsSync(join(this.storeDir, 'runs'))) this.arm();
      this.changed();
    }, DEBOUNCE_MS);
  }
}
