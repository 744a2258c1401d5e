/** Where the CLI writes and which directory it works in; injected so tests can capture output. */
export interface Io {
  /** Text, or UTF-8 bytes (a big report's events, held back as bytes, are written as they are). */
  out(text: string | Uint8Array): void;
  err(text: string | Uint8Array): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The process's own stdout, stderr, cwd and environment. */
export function nodeIo(): Io {
  // `envtrace report | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
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
