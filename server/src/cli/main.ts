/**
 * The `envtrace` command line: dispatches to one module per subcommand.
 * Exit codes: the traced command's status for runs; 0 ok, 1 findings/failure, 2 usage or input error.
 */
import { scanCommand } from './scan';
import { runCommand } from './run';
import { reportCommand } from './report';
import { runsCommand } from './runs';
import { envCommand } from './env';
import { doctorCommand } from './doctor';
import { diffCommand } from './diff';
import { lspCommand } from './lsp';
import { checkCommand } from './check';
import { VERSION } from './version';
import { CliError, type Io, nodeIo } from './io';
import { UnsafeWriteError } from '../files/writeSafe';
import { escapeControls } from '../runs/text';

type Command = (args: string[], io: Io) => Promise<number>;

const commands: Record<string, Command> = {
  scan: scanCommand,
  run: runCommand,
  report: reportCommand,
  runs: runsCommand,
  env: envCommand,
  doctor: doctorCommand,
  diff: diffCommand,
  lsp: lspCommand,
  check: checkCommand,
};

const usage = `usage: envtrace [run] [flags] -- <command...>   trace every env access of Go programs
       envtrace scan [--json] [PATH...]          list the env sites of Go source
       envtrace report [--format text|json|folded|speedscope] [--key K] [--op OP] [--process PID] [--test T] [--unset-only] [RUN]
                                                 render a stored run (folded, speedscope: flame graph data)
       envtrace runs                             list stored runs
       envtrace diff [--format text|json] A B    compare two runs
       envtrace check [PATH] [--run RUN...] [--format text|json|sarif|github] [--config FILE]
                                                 check env policy: exit 1 on an error-level finding
       envtrace env                              shell exports to trace a build by hand
       envtrace doctor                           check go, GOROOT and the overlay
       envtrace lsp --stdio                      serve the language server protocol`;

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io = nodeIo()): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      io.out(usage + '\n');
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === 'version') {
      io.out(`envtrace ${VERSION}\n`);
      return 0;
    }
    const load = commands[first];
    if (load) return await load(rest, io);
    // `envtrace [flags] -- cmd` is `envtrace run [flags] -- cmd`.
    if (first === '--' || first.startsWith('-')) return await runCommand(argv, io);
    io.err(`envtrace: unknown command "${first}"\n${usage}\n`);
    return 2;
  } catch (e) {
    if (e instanceof CliError) {
      // Messages name paths and run fields from disk: one line each, no control character raw.
      io.err(`envtrace: ${e.message.split('\n').map(escapeControls).join('\n')}\n`);
      return e.exitCode;
    }
    // A store envtrace will not or cannot write (a symlink, another user's, read-only): input, not a bug.
    if (e instanceof UnsafeWriteError) {
      io.err(`envtrace: ${escapeControls(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}


if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`envtrace: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
