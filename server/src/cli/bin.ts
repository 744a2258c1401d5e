/**
 * dist/cli.js, the `envtrace` executable: loads the run-only bundle (dist/cli-run.js) for
 * `envtrace -- cmd` and the full CLI (dist/cli-main.js) for everything else, so the fixed
 * start-up of a traced command does not pay for parsing the language server and the scanner.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isRunArgv, startCli } from './entry';

const bundle = isRunArgv(process.argv.slice(2)) ? 'cli-run.js' : 'cli-main.js';
const { main } = createRequire(__filename)(join(__dirname, bundle)) as { main: (argv: string[]) => Promise<number> };
startCli(main);
