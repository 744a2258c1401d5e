/**
 * The CLI for `envtrace [run] [flags] -- cmd` alone (dist/cli-run.js): the run path without
 * the other subcommands, so a traced command starts after loading a third of the full CLI.
 */
import { type Io, nodeIo } from './io';
import { dispatch } from './dispatch';
import { runCommand } from './run';

/** Runs `envtrace [run] [flags] -- cmd` (other subcommands are the full CLI's, main.ts). */
export function main(argv: string[], io: Io = nodeIo()): Promise<number> {
  return dispatch(argv, io, { run: async () => runCommand });
}
