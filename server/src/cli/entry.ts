/**
 * What the CLI's entry points share without loading anything: which bundle an argv needs and
 * how a finished CLI sets the exit code. No imports, so bin.ts stays a few hundred bytes.
 */

/**
 * Whether the run-only bundle serves `argv`: a traced command (`envtrace -- cmd`,
 * `envtrace [flags] -- cmd`, `envtrace run …`) or the usage and version, which need no subcommand.
 */
export function runBundleServes(argv: readonly string[]): boolean {
  const first = argv[0];
  return first === undefined || first === 'run' || first === 'help' || first === 'version' || first.startsWith('-');
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
