import { CliError, type Io } from './io';

/** `envtrace env` (not built yet). */
export async function envCommand(_args: string[], _io: Io): Promise<number> {
  throw new CliError('"env" is not implemented yet', 1);
}
