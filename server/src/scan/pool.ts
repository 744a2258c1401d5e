/**
 * A small pool of worker threads that parse files to facts in parallel (used for the first
 * load of a tree; later edits parse one file on the calling thread). Jobs wait in one queue;
 * each worker holds at most two, and the calling thread can drain the rest itself once it has
 * nothing else to do, so no core idles while files are left.
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

/** A parse worker's answer: facts, null (nothing to extract) or undefined (could not parse). */
export interface ParseReply {
  id: number;
  facts: FileFacts | null | undefined;
}

/** The worker script beside this module: the dist bundle or the compiled worker.js in out/. */
function workerScript(): string | null {
  for (const name of ['scan-worker.js', 'worker.js']) {
    const p = join(__dirname, name);
    if (existsSync(p)) return p;
  }
  return null;
}

type Result = FileFacts | null | undefined;

interface Job {
  req: ParseRequest;
  resolve(f: Result): void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Job>;
  dead: boolean;
}

const PER_WORKER = 2;

/** Parses files to facts on worker threads. */
export class ParsePool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 1;

  private constructor(script: string, size: number) {
    this.slots = Array.from({ length: size }, () => {
      const worker = new Worker(script);
      const slot: Slot = { worker, inFlight: new Map(), dead: false };
      worker.on('message', (r: ParseReply) => {
        const job = slot.inFlight.get(r.id);
        slot.inFlight.delete(r.id);
        job?.resolve(r.facts);
        this.pump();
      });
      // A worker that dies answers its jobs with undefined; the index parses those itself.
      const fail = (): void => {
        slot.dead = true;
        for (const job of slot.inFlight.values()) job.resolve(undefined);
        slot.inFlight.clear();
        this.pump();
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      return slot;
    });
  }

  /** Starts `size` workers, or returns null when the worker script is not available. */
  static start(size: number): ParsePool | null {
    const script = workerScript();
    return script && size > 0 ? new ParsePool(script, size) : null;
  }

  /** Queues one file; resolves with its facts, or undefined when no worker could parse it. */
  parse(text: string, words: string[] = [], constOnly = false): Promise<Result> {
    return new Promise((resolve) => {
      this.queue.push({ req: { id: this.nextId++, text, words, constOnly }, resolve });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      while (!slot.dead && slot.inFlight.size < PER_WORKER && this.queue.length) {
        const job = this.queue.shift()!;
        slot.inFlight.set(job.req.id, job);
        slot.worker.postMessage(job.req);
      }
    }
    if (this.slots.every((s) => s.dead)) for (const job of this.queue.splice(0)) job.resolve(undefined);
  }

  /**
   * Parses queued jobs on the calling thread with `extract` until the queue is empty, yielding
   * between jobs so that replies from the workers are seen and the workers fed at once.
   */
  async drain(extract: (text: string, words: string[], constOnly: boolean) => FileFacts | null): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      job.resolve(extract(job.req.text, job.req.words, job.req.constOnly));
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Stops the workers (jobs still queued resolve with undefined). */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.resolve(undefined);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
