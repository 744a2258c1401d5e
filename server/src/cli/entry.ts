/**
 * What the CLI's entry points share without loading anything: which bundle an argv needs and
 * how a finished CLI sets the exit code. No imports, so bin.ts stays a few hundred bytes.
 */

/** Whether `argv` runs a command under trace (`envtrace -- cmd`, `envtrace [flags] -- cmd`, `envtrace run …`). */
export function isRunArgv(argv: readonly string[]): boolean {
  const first = argv[0];
  if (first === undefined) return false;
  if (first === 'run' || first === '--') return true;
  return first.startsWith('-') && !['-h', '--help', '--version'].includes(first);
}

/** Runs `main` on the process's argv and sets the exit code (70 for an internal error). */
export function startCli(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`envtrace: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
