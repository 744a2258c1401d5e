import { CliError, type Io } from './io';

/** `envtrace diff` (not built yet). */
export async function diffCommand(_args: string[], _io: Io): Promise<number> {
  throw new CliError('"diff" is not implemented yet', 1);
}
