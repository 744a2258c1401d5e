/**
 * The first load of a tree, shared between the calling thread and worker threads: every
 * thread takes the next file from one shared counter (Atomics), reads it, runs the env
 * pre-filter on its bytes and parses the files that pass. So reading, filtering and parsing
 * all run in parallel from the first moment, and no thread idles while files are left (the
 * calling thread keeps its event loop breathing between slices for progress and abort).
 * Workers send their files back in batches: bytes packed into one transferred buffer, plus
 * the facts of the parsed ones. A file a worker took but never sent back (it died) is read
 * by the calling thread at the end.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { envText, headerOfBytes } from './entry';
import type { FileFacts } from './fileFacts';
import { readGoFile } from './readGo';

/** One loaded file: bytes, its text when it passed the env pre-filter, and facts when parsed. */
export interface LoadedFile {
  index: number;
  bytes: Uint8Array;
  /** Whether the file passed the env pre-filter. */
  env: boolean;
  /** Its text, when this thread decoded it (files that passed the pre-filter). */
  text: string | null;
  /** undefined: not parsed (no env API, or no parser in that thread). */
  facts: FileFacts | null | undefined;
  /** Package name and imports (readHeader), unless unreadable. */
  header?: Header;
  /** Why an unreadable file was skipped (not a regular file, a symlink out of the root, too big). */
  skipped?: string;
}

type Header = { pkgName: string; imports: string[] };

/** Parses one file's text (its path says which file, for the facts' local flows). */
export type Parse = (text: string, path: string) => FileFacts | null;

/** Sent to a worker: the files of the tree and the shared counter of the next one to take. */
export interface LoadRequest {
  /** `within`: the root files must stay inside once symlinks are resolved. */
  load: { paths: string[]; next: SharedArrayBuffer; within: string; walked?: boolean; localFlows?: boolean };
}

/** A worker's batch: for each file its index, byte length, and facts (when parsed). */
export interface LoadBatch {
  batch: { index: number[]; lengths: number[]; env: boolean[]; facts: (FileFacts | null | undefined)[]; headers: (Header | undefined)[]; skipped: (string | undefined)[]; bytes: ArrayBuffer };
}

/** Sent by a worker when the counter ran out. */
export interface LoadDone {
  done: true;
}

const BATCH_FILES = 64;

/**
 * Takes files from the shared counter until none are left, reading, filtering and parsing
 * each (`parse` null: no grammar, nothing parsed). Returns early (false) when `pause()` says
 * so, so the caller can yield; true when the counter ran out.
 */
export function takeFiles(
  paths: string[],
  within: string,
  next: Int32Array,
  parse: Parse | null,
  each: (f: LoadedFile) => void,
  pause: () => boolean = () => false,
  walked = false,
): boolean {
  for (;;) {
    const i = Atomics.add(next, 0, 1);
    if (i >= paths.length) return true;
    const read = readGoFile(paths[i], within, walked);
    if (typeof read === 'string') {
      each({ index: i, bytes: EMPTY, env: false, text: null, facts: undefined, skipped: read });
      if (pause()) return false;
      continue;
    }
    const bytes: Uint8Array = read;
    const text = envText(bytes);
    const facts = text !== null && parse ? parse(text, paths[i]) : undefined;
    each({ index: i, bytes, env: text !== null, text, facts, header: headerOfBytes(bytes, text) });
    if (pause()) return false;
  }
}

const EMPTY = new Uint8Array(0);

/** The unreadable-file marker of takeFiles (not a file to add). */
export function unreadable(f: LoadedFile): boolean {
  return f.bytes === EMPTY;
}

/** Runs inside a worker: takes files and posts them back in batches. */
export function serveLoad(req: LoadRequest['load'], parse: Parse | null, post: (msg: LoadBatch | LoadDone, transfer?: ArrayBuffer[]) => void): void {
  const next = new Int32Array(req.next);
  let files: LoadedFile[] = [];
  const flush = (): void => {
    if (!files.length) return;
    let total = 0;
    for (const f of files) total += f.bytes.byteLength;
    const packed = new Uint8Array(new ArrayBuffer(total));
    let at = 0;
    for (const f of files) {
      packed.set(f.bytes, at);
      at += f.bytes.byteLength;
    }
    post(
      { batch: { index: files.map((f) => (unreadable(f) ? -1 - f.index : f.index)), lengths: files.map((f) => f.bytes.byteLength), env: files.map((f) => f.env), facts: files.map((f) => f.facts), headers: files.map((f) => f.header), skipped: files.map((f) => f.skipped), bytes: packed.buffer } },
      [packed.buffer],
    );
    files = [];
  };
  takeFiles(
    req.paths,
    req.within,
    next,
    parse,
    (f) => {
      files.push(f);
      if (files.length >= BATCH_FILES) flush();
    },
    undefined,
    req.walked,
  );
  flush();
  post({ done: true });
}

/** The worker script beside this module: the dist bundle or the compiled worker.js in out/. */
function workerScript(): string | null {
  for (const name of ['scan-worker.js', 'worker.js']) {
    const p = join(__dirname, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/**
 * Loads `paths` on this thread and `workers` worker threads; `each` gets every readable file
 * once (in no particular order). `parse` parses on this thread. Resolves when all are in.
 */
export async function loadFiles(
  paths: string[],
  within: string,
  workers: number,
  parse: Parse,
  each: (path: string, f: LoadedFile) => void,
  options: { signal?: AbortSignal; onProgress?(done: number, total: number): void; onSkip?(path: string, reason: string): void; walked?: boolean; localFlows?: boolean } = {},
): Promise<void> {
  const shared = new SharedArrayBuffer(4);
  const next = new Int32Array(shared);
  const seen = new Uint8Array(paths.length);
  let done = 0;
  let reported = -1;
  const progress = (): void => {
    if (done !== reported) options.onProgress?.((reported = done), paths.length);
  };
  const take = (f: LoadedFile): void => {
    if (seen[f.index]) return;
    seen[f.index] = 1;
    done++;
    if (!unreadable(f)) each(paths[f.index], f);
    else if (f.skipped !== undefined) options.onSkip?.(paths[f.index], f.skipped);
  };
  const script = workers > 0 ? workerScript() : null;
  const running: Promise<void>[] = [];
  const threads: Worker[] = [];
  for (let w = 0; script && w < workers; w++) {
    const worker = new Worker(script);
    threads.push(worker);
    running.push(
      new Promise<void>((resolve) => {
        worker.on('message', (m: LoadBatch | LoadDone) => {
          if ('done' in m) return resolve();
          const bytes = new Uint8Array(m.batch.bytes);
          let at = 0;
          m.batch.index.forEach((raw, k) => {
            const len = m.batch.lengths[k];
            const index = raw < 0 ? -1 - raw : raw;
            const slice = raw < 0 ? EMPTY : bytes.subarray(at, at + len);
            at += len;
            take({ index, bytes: slice, env: m.batch.env[k], text: null, facts: m.batch.facts[k], header: m.batch.headers[k], skipped: m.batch.skipped[k] });
          });
        });
        // A worker that fails or exits early: what it took and did not send is read at the end.
        worker.on('error', () => resolve());
        worker.on('exit', () => resolve());
      }),
    );
    worker.postMessage({ load: { paths, next: shared, within, walked: options.walked, localFlows: options.localFlows } } satisfies LoadRequest);
  }
  try {
    let sliceEnd = 0;
    const SLICE_MS = 8;
    for (;;) {
      if (options.signal?.aborted) {
        Atomics.store(next, 0, paths.length);
        break;
      }
      sliceEnd = performance.now() + SLICE_MS;
      const finished = takeFiles(paths, within, next, parse, take, () => performance.now() > sliceEnd, options.walked);
      progress();
      if (finished) break;
      await new Promise<void>((r) => setImmediate(r));
    }
    await Promise.all(running);
    if (!options.signal?.aborted) {
      // Files taken by a worker that died before sending them back.
      for (let i = 0; i < paths.length; i++) {
        if (seen[i]) continue;
        const bytes = readGoFile(paths[i], within);
        if (typeof bytes === 'string') {
          take({ index: i, bytes: EMPTY, env: false, text: null, facts: undefined, skipped: bytes });
          continue;
        }
        const text = envText(bytes);
        take({ index: i, bytes, env: text !== null, text, facts: text !== null ? parse(text, paths[i]) : undefined, header: headerOfBytes(bytes, text) });
      }
      progress();
    }
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
