import { CliError, type Io } from './io';

/** `envtrace run` (not built yet). */
export async function runCommand(_args: string[], _io: Io): Promise<number> {
  throw new CliError('"run" is not implemented yet', 1);
}
