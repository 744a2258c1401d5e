/** The whole `envtrace` command line: every subcommand (dist/cli-main.js; dispatch.ts has the exit codes). */
import { type Io, nodeIo } from './io';
import { type Commands, dispatch } from './dispatch';
import { startCli } from './entry';

// NOTE: each subcommand is loaded when it runs, not at start-up: a subcommand never evaluates
// the language server, the scanner or the check engine unless it needs them.
const commands: Commands = {
  scan: async () => (await import('./scan.js')).scanCommand,
  run: async () => (await import('./run.js')).runCommand,
  report: async () => (await import('./report.js')).reportCommand,
  runs: async () => (await import('./runs.js')).runsCommand,
  env: async () => (await import('./env.js')).envCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  lsp: async () => (await import('./lsp.js')).lspCommand,
  check: async () => (await import('./check.js')).checkCommand,
  docs: async () => (await import('./docs.js')).docsCommand,
  // NOTE: a bundle apart (scripts/build.mjs): the OpenTelemetry SDK stays out of cli-main.js.
  export: async () => (await import('./otlpCommands.js')).exportCommand,
  ship: async () => (await import('./otlpCommands.js')).shipCommand,
  import: async () => (await import('./import.js')).importCommand,
  build: async () => (await import('./build.js')).buildCommand,
  prebuild: async () => (await import('./prebuild.js')).prebuildCommand,
};

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export function main(argv: string[], io: Io = nodeIo()): Promise<number> {
  return dispatch(argv, io, commands);
}

if (require.main === module) startCli(main);
