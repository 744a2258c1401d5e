import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { CliError, type Io } from './io';

const transports = ['--stdio', '--node-ipc'];

/**
 * `envtrace lsp --stdio`: serves the same language server as dist/server.js, for any LSP
 * editor. Resolves only when the client ends the session (the connection exits the process).
 */
export async function lspCommand(args: string[], _io: Io): Promise<number> {
  const transport = args.find((a) => transports.includes(a) || a.startsWith('--socket='));
  if (!transport) throw new CliError('lsp needs a transport: envtrace lsp --stdio');
  const unknown = args.find((a) => a !== transport && !a.startsWith('--clientProcessId') && !/^\d+$/.test(a));
  if (unknown !== undefined) throw new CliError(`lsp: unknown argument "${unknown}"`);
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection);
  connection.listen();
  return new Promise<number>(() => {});
}
