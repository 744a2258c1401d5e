import { CliError, type Io } from './io';

/** `envtrace runs` (not built yet). */
export async function runsCommand(_args: string[], _io: Io): Promise<number> {
  throw new CliError('"runs" is not implemented yet', 1);
}
