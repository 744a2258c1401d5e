/**
 * The `envtrace` command line's dispatch and error handling, shared by the full CLI (main.ts)
 * and the run-only bundle (mainRun.ts) that `envtrace -- cmd` loads (bin.ts).
 * Exit codes: the traced command's status for runs; 0 ok, 1 findings/failure, 2 usage or input error.
 */
import { VERSION } from './version';
import { CliError, type Io } from './io';
import { UnsafeWriteError } from '../files/writeSafe';
import { escapeControls } from '../runs/text';

/** One subcommand: its arguments (after the name) → exit code. */
export type Command = (args: string[], io: Io) => Promise<number>;

/** Subcommands by name, each loaded when it runs. */
export type Commands = Partial<Record<string, () => Promise<Command>>> & { run: () => Promise<Command> };

const usage = `usage: envtrace [run] [flags] -- <command...>   trace every env access of Go programs
       envtrace scan [--json] [PATH...]          list the env sites of Go source
       envtrace report [--format text|json|folded|speedscope] [--key K] [--op OP] [--process PID] [--test T] [--unset-only] [RUN]
                                                 render a stored run (folded, speedscope: flame graph data)
       envtrace runs                             list stored runs
       envtrace diff [--format text|json] A B    compare two runs
       envtrace import [--label L] SOURCE...     JSON reports, OTLP JSON files, run directories → one stored (fleet) run
       envtrace check [PATH] [--run RUN...] [--baseline FILE|GIT-REF] [--format text|json|sarif|github] [--config FILE]
                                                 check env policy: exit 1 on an error-level finding
       envtrace docs [PATH] [--out FILE] [--env-example]
                                                 Markdown inventory of the environment, or a new .env.example
       envtrace export --otlp URL [--protocol http/protobuf|http/json] [--each-event] [RUN...]
                                                 send runs to an OpenTelemetry Collector as OTLP logs
       envtrace ship --otlp URL --dir DIR [--state FILE]
                                                 follow a run directory and send each event as it comes
       envtrace env                              shell exports to trace a build by hand
       envtrace build [go build flags] [packages] go build with the recorder compiled in (records when ENVTRACE_DIR is set)
       envtrace prebuild [--all] [--go PATH]     compile what traced builds here need, ahead of the first one
       envtrace doctor                           check go, GOROOT and the overlay
       envtrace lsp --stdio                      serve the language server protocol`;

/** Runs the subcommand `argv` names (argv without node and script) and returns the exit code. */
export async function dispatch(argv: string[], io: Io, commands: Commands): Promise<number> {
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
    if (load) return await (await load())(rest, io);
    // `envtrace [flags] -- cmd` is `envtrace run [flags] -- cmd`.
    if (first === '--' || first.startsWith('-')) return await (await commands.run())(argv, io);
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


