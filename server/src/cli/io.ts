/** Where the CLI writes and which directory it works in; injected so tests can capture output. */
export interface Io {
  /**
   * Text, or UTF-8 bytes (a big report's events, held back as bytes, are written as they are).
   * A promise when the stream holds as much as it should buffer (a slow reader on a pipe):
   * a writer of much output awaits it before writing more.
   */
  out(text: string | Uint8Array): void | Promise<void>;
  err(text: string | Uint8Array): void | Promise<void>;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * A writer on `stream` that respects backpressure: `write` hands the text to the stream and,
 * when the stream's buffer is past its high-water mark (a pipe whose reader is slower than
 * envtrace), answers a promise that resolves on `drain`. A reader that went away (EPIPE:
 * `envtrace report | head`) calls `gone` once; later writes are dropped. Other errors throw.
 */
export function streamWriter(stream: NodeJS.WritableStream, gone: () => void): (t: string | Uint8Array) => void | Promise<void> {
  let closed = false;
  let drained: { promise: Promise<void>; resolve: () => void } | null = null;
  const release = () => {
    const d = drained;
    drained = null;
    d?.resolve();
  };
  stream.on('drain', release);
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (closed) return; // what a destroyed stream says about later writes
    if (e.code !== 'EPIPE') throw e;
    closed = true;
    release();
    gone();
  });
  return (t) => {
    if (closed || stream.write(t)) return;
    // One promise per full buffer: every writer waiting on it resumes at the same drain.
    if (!drained) {
      let resolve!: () => void;
      const promise = new Promise<void>((res) => (resolve = res));
      drained = { promise, resolve };
    }
    return drained.promise;
  };
}

/**
 * The process's own stdout, stderr, cwd and environment. When stdout's reader goes away the
 * process ends quietly with the exit code so far, as `cat` or `grep` would stop; when stderr's
 * does, envtrace drops its messages and carries on (a traced command still ends, and its run
 * is still stored).
 */
export function nodeIo(): Io {
  return {
    out: streamWriter(process.stdout, () => process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0)),
    err: streamWriter(process.stderr, () => undefined),
    cwd: process.cwd(),
    env: process.env,
  };
}

// NOTE: the OTLP subcommands are a bundle of their own (dist/otlpCommands.js) with its own copy
// of this class; a registered symbol lets dispatch's `instanceof` recognise errors of either copy.
const CLI_ERROR = Symbol.for('envtrace.CliError');

/** An error the CLI reports as one line, exiting with `exitCode` (2: bad usage or input). */
export class CliError extends Error {
  readonly [CLI_ERROR] = true;
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as { [CLI_ERROR]?: boolean })[CLI_ERROR] === true;
  }
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
