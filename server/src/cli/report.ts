import { emitRun } from './output';
import { CliError, type Io } from './io';
import { resolveRun, RunStoreError } from '../runs/store';
import { storeFor } from './storeDir';
import { emitFlame, flameFlag, type FlameFormat } from './reportFlame';
import type { FlameFilter } from '../runs/flame';

const FORMATS = ['text', 'json', 'folded', 'speedscope'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `envtrace report [--format text|json|folded|speedscope] [--key K] [--op OP] [--process PID]
 * [--test NAME] [--unset-only] [--output FILE] [--quiet] [--dir DIR] [RUN]`: renders a stored run.
 */
export async function reportCommand(args: string[], io: Io): Promise<number> {
  let format: Format = 'text';
  let output: string | undefined;
  let dir: string | undefined;
  let quiet = false;
  const filter: FlameFilter = {};
  let filtered = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= args.length) throw new CliError(`${name} needs a value`);
      return args[++i];
    };
    if (name === '--format') {
      const f = value();
      if (!(FORMATS as readonly string[]).includes(f)) throw new CliError(`--format is ${FORMATS.join(', ')}; not "${f}"`);
      format = f as Format;
    } else if (name === '--output') output = value();
    else if (name === '--dir') dir = value();
    else if (name === '--quiet') quiet = true;
    else if (flameFlag(name, name === '--unset-only' ? '' : value, filter)) filtered = true;
    else if (name.startsWith('-') && name !== '-') throw new CliError(`unknown flag ${name}`);
    else rest.push(a);
  }
  if (rest.length > 1) throw new CliError('report takes one RUN (an id or a run directory)');
  if (filtered && (format === 'text' || format === 'json')) throw new CliError('--key, --op, --process, --test and --unset-only go with --format folded or speedscope');
  try {
    const run = await resolveRun(storeFor(dir, io), rest[0], io.cwd);
    if (format === 'folded' || format === 'speedscope') await emitFlame(run, format as FlameFormat, filter, output, io);
    else await emitRun(run, { format, output, quiet, textTo: 'out' }, io);
  } catch (e) {
    if (e instanceof RunStoreError) throw new CliError(e.message);
    throw e;
  }
  return 0;
}
