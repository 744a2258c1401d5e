/**
 * A small pool of worker threads that parse files to facts in parallel (used for the first
 * load of a tree; later edits parse one file on the calling thread).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileFacts } from './facts';

/** A request to a parse worker. */
export interface ParseRequest {
  id: number;
  text: string;
  words: string[];
  constOnly: boolean;
}

/** A parse worker's answer. */
export interface ParseReply {
  id: number;
  facts: FileFacts | null;
}

/** The worker script beside this module: the dist bundle or the compiled worker.js in out/. */
function workerScript(): string | null {
  for (const name of ['scan-worker.js', 'worker.js']) {
    const p = join(__dirname, name);
    if (existsSync(p)) return p;
  }
  return null;
}

interface Slot {
  worker: Worker;
  pendingChars: number;
}

/** Parses files to facts on worker threads. */
export class ParsePool {
  private readonly slots: Slot[];
  private readonly waiting = new Map<number, { resolve(f: FileFacts | null | undefined): void; chars: number; slot: Slot }>();
  private nextId = 1;

  private constructor(script: string, size: number) {
    this.slots = Array.from({ length: size }, () => {
      const worker = new Worker(script);
      const slot: Slot = { worker, pendingChars: 0 };
      worker.on('message', (r: ParseReply) => this.settle(r.id, r.facts));
      // A worker that dies answers its outstanding requests with "no facts"; the index then
      // parses those files itself.
      worker.on('error', () => this.failSlot(slot));
      worker.on('exit', () => this.failSlot(slot));
      return slot;
    });
  }

  /** Starts `size` workers, or returns null when the worker script is not available. */
  static start(size: number): ParsePool | null {
    const script = workerScript();
    return script && size > 0 ? new ParsePool(script, size) : null;
  }

  /** Parses one file on the least busy worker; undefined when the worker failed. */
  parse(text: string, words: string[] = [], constOnly = false): Promise<FileFacts | null | undefined> {
    const slot = this.slots.reduce((a, b) => (b.pendingChars < a.pendingChars ? b : a));
    const id = this.nextId++;
    slot.pendingChars += text.length;
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve, chars: text.length, slot });
      slot.worker.postMessage({ id, text, words, constOnly } satisfies ParseRequest);
    });
  }

  private settle(id: number, facts: FileFacts | null | undefined): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    w.slot.pendingChars -= w.chars;
    w.resolve(facts);
  }

  private failSlot(slot: Slot): void {
    for (const [id, w] of this.waiting) if (w.slot === slot) this.settle(id, undefined);
    slot.pendingChars = Number.MAX_SAFE_INTEGER;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
