/**
 * The flags of `envtrace run` and `envtrace env`, parsed by hand (`--flag value` and
 * `--flag=value`), and the command after `--`.
 */
import { DEFAULT_KEEP } from '../runs/store';
import { CliError } from './io';

/** Parsed trace flags. */
export interface TraceFlags {
  stack: number;
  race: boolean;
  label: string | null;
  redact: string[];
  noRedact: boolean;
  fullEnv: boolean;
  keep: number;
  dir: string | undefined;
  quiet: boolean;
  format: 'text' | 'json';
  output: string | undefined;
  go: string | undefined;
  /** Also trace the go command itself (off with --no-go-command). */
  goCommand: boolean;
}

const VALUE_FLAGS = new Set(['stack', 'label', 'redact', 'keep', 'dir', 'format', 'output', 'go']);
const BOOL_FLAGS = new Set(['race', 'no-redact', 'full-env', 'quiet', 'no-go-command']);

function positiveInt(name: string, v: string, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new CliError(`--${name} wants a whole number from 1 to ${max}, not "${v}"`);
  return Number(v);
}

/**
 * Splits `args` into flags and the command. The command follows `--`; without `--` it starts
 * at the first argument that is not a flag. `allowed` limits the flags a subcommand accepts.
 */
export function parseTraceFlags(args: string[], allowed?: Set<string>): { flags: TraceFlags; command: string[] } {
  const flags: TraceFlags = { stack: 16, race: false, label: null, redact: [], noRedact: false, fullEnv: false, keep: DEFAULT_KEEP, dir: undefined, quiet: false, format: 'text', output: undefined, go: undefined, goCommand: true };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const eq = a.indexOf('=');
    const name = a.replace(/^--?/, '').slice(0, eq < 0 ? undefined : eq - (a.startsWith('--') ? 2 : 1));
    if (allowed && !allowed.has(name)) throw new CliError(`unknown flag ${a.split('=')[0]}`);
    if (BOOL_FLAGS.has(name)) {
      if (eq >= 0) throw new CliError(`--${name} takes no value`);
      if (name === 'race') flags.race = true;
      else if (name === 'no-redact') flags.noRedact = true;
      else if (name === 'full-env') flags.fullEnv = true;
      else if (name === 'no-go-command') flags.goCommand = false;
      else flags.quiet = true;
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new CliError(`unknown flag ${a.split('=')[0]}`);
    let value: string;
    if (eq >= 0) value = a.slice(eq + 1);
    else {
      if (i + 1 >= args.length) throw new CliError(`--${name} needs a value`);
      value = args[++i];
    }
    switch (name) {
      case 'stack':
        flags.stack = positiveInt(name, value, 64);
        break;
      case 'keep':
        flags.keep = positiveInt(name, value, 100_000);
        break;
      case 'label':
        flags.label = value;
        break;
      case 'redact':
        flags.redact.push(value);
        break;
      case 'dir':
        if (!value) throw new CliError('--dir needs a directory');
        flags.dir = value;
        break;
      case 'format':
        if (value !== 'text' && value !== 'json') throw new CliError(`--format is text or json, not "${value}"`);
        flags.format = value;
        break;
      case 'output':
        if (!value) throw new CliError('--output needs a file (or - for stdout)');
        flags.output = value;
        break;
      case 'go':
        flags.go = value;
        break;
    }
  }
  return { flags, command: args.slice(i) };
}
