import { CliError, type Io } from './io';

/** `envtrace doctor` (not built yet). */
export async function doctorCommand(_args: string[], _io: Io): Promise<number> {
  throw new CliError('"doctor" is not implemented yet', 1);
}
