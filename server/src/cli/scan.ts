import { CliError, type Io } from './io';

/** `envtrace scan` (not built yet). */
export async function scanCommand(_args: string[], _io: Io): Promise<number> {
  throw new CliError('"scan" is not implemented yet', 1);
}
