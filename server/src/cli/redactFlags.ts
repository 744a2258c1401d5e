/** Checks `--redact` patterns against the recorder's regex subset before a run. */
import { checkRedactPattern, REDACT_SUBSET } from '../tracer/redact';
import { CliError } from './io';
import type { TraceFlags } from './traceFlags';

/** Throws a one-line CliError for a pattern the recorder cannot read. */
export function checkRedactFlags(flags: TraceFlags): void {
  for (const p of flags.redact) {
    if (p === '') throw new CliError('--redact needs a pattern');
    const problem = checkRedactPattern(p);
    if (problem !== null) throw new CliError(`--redact ${JSON.stringify(p)}: ${problem} (supported: ${REDACT_SUBSET})`);
  }
}
