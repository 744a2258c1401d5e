import { CliError, type Io } from './io';

/** `envtrace report` (not built yet). */
export async function reportCommand(_args: string[], _io: Io): Promise<number> {
  throw new CliError('"report" is not implemented yet', 1);
}
