import { CliError, type Io } from './io';

/** `envtrace lsp` (not built yet). */
export async function lspCommand(_args: string[], _io: Io): Promise<number> {
  throw new CliError('"lsp" is not implemented yet', 1);
}
