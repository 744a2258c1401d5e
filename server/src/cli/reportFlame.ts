/** `envtrace report --format folded|speedscope` and its filter flags. */
import { CliError, type Io } from './io';
import { withSink } from './output';
import { collectFlame, FLAME_OPS, type FlameFilter } from '../runs/flame';
import { foldedText } from '../runs/folded';
import { speedscopeFile } from '../runs/speedscope';
import type { StoredRun } from '../runs/store';
import { VERSION } from './version';

export type FlameFormat = 'folded' | 'speedscope';

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Reads one filter flag into `filter`; false when `name` is not one. `value` reads the
 * flag's value ('' for the valueless --unset-only). Repeated or comma-separated values add up.
 */
export function flameFlag(name: string, value: (() => string) | '', filter: FlameFilter): boolean {
  const get = () => (value === '' ? '' : value());
  switch (name) {
    case '--key':
      (filter.keys ??= []).push(...list(get()));
      return true;
    case '--op': {
      const ops = list(get());
      const bad = ops.find((o) => !FLAME_OPS.includes(o));
      if (bad !== undefined) throw new CliError(`--op is one of ${FLAME_OPS.join(', ')}; not "${bad}"`);
      (filter.ops ??= []).push(...ops);
      return true;
    }
    case '--process': {
      const pids = list(get()).map(Number);
      if (pids.some((p) => !Number.isSafeInteger(p) || p <= 0)) throw new CliError('--process takes pids');
      (filter.pids ??= []).push(...pids);
      return true;
    }
    case '--test':
      (filter.tests ??= []).push(get());
      return true;
    case '--unset-only':
      filter.unsetOnly = true;
      return true;
    default:
      return false;
  }
}

/** Writes the run's flame data as folded text or speedscope JSON. */
export async function emitFlame(run: StoredRun, format: FlameFormat, filter: FlameFilter, output: string | undefined, io: Io): Promise<void> {
  const { flame } = await collectFlame(run, filter);
  const paths = flame.paths();
  const name = `envtrace ${run.info.label ?? run.info.id}`;
  const text = format === 'folded' ? foldedText(paths) : JSON.stringify(speedscopeFile(paths, name, `envtrace ${VERSION}`)) + '\n';
  await withSink(io, output, 'out', async (sink) => {
    await sink.write(text);
  });
}
