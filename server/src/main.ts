/** Entry point of the language server bundle: serve LSP over the transport named on the command line. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// NOTE: createConnection reads --stdio, --node-ipc or --socket=N from process.argv.
const connection = createConnection(ProposedFeatures.all);
startServer(connection);
connection.listen();
