/** Checks `--redact` patterns against the recorder's regex subset before a run. */
import { CliError } from './io';
import type { TraceFlags } from './traceFlags';

/** Throws a one-line CliError for a pattern the recorder cannot read. */
export function checkRedactFlags(flags: TraceFlags): void {
  for (const p of flags.redact) {
    if (p === '') throw new CliError('--redact needs a pattern');
    if (/\n/.test(p)) throw new CliError('--redact patterns cannot contain a newline');
    try {
      new RegExp(p, 'i');
    } catch (e) {
      throw new CliError(`--redact ${JSON.stringify(p)}: ${(e as Error).message}`);
    }
  }
}
