/**
 * dist/cli.js, the `envtrace` executable: loads the run-only bundle (dist/cli-run.js) for
 * `envtrace -- cmd` (and --version, --help) and the full CLI (dist/cli-main.js) for the other
 * subcommands, so the fixed start-up of a traced command does not pay for parsing the
 * language server and the scanner.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runBundleServes, startCli } from './entry';

const bundle = runBundleServes(process.argv.slice(2)) ? 'cli-run.js' : 'cli-main.js';
const { main } = createRequire(__filename)(join(__dirname, bundle)) as { main: (argv: string[]) => Promise<number> };
startCli(main);
