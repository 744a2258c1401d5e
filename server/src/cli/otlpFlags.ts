/** The flags `envtrace export` and `envtrace ship` share: where the OTLP logs go. */
import { CliError } from './io';
import { OtlpSettingsError, resolveTarget, type OtlpTarget } from '../otlp/endpoint';

/**
 * Walks `args`: `take(name, value)` for each flag (`--name v`, `--name=v`; `value()` reads
 * the value), returning false for an unknown one; `positional` for the other words.
 */
export function eachArg(args: string[], take: (name: string, value: () => string) => boolean, positional: (word: string) => void): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const [name, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= args.length) throw new CliError(`${name} needs a value`);
      return args[++i];
    };
    if (!name.startsWith('-')) positional(a);
    else if (!take(name, value)) throw new CliError(`unknown flag ${name}`);
  }
}

/** `--otlp URL`, `--protocol P`, `--timeout SECONDS` as given. */
export interface OtlpFlags {
  url?: string;
  protocol?: string;
  timeout?: string;
}

/** Takes `name` into `flags` when it is one of the OTLP flags; `value` reads its value. */
export function otlpFlag(name: string, value: () => string, flags: OtlpFlags): boolean {
  if (name === '--otlp') flags.url = value();
  else if (name === '--protocol') flags.protocol = value();
  else if (name === '--timeout') flags.timeout = value();
  else return false;
  return true;
}

/** The endpoint for the flags under `env` (OTEL_EXPORTER_OTLP_* as the SDKs read them). */
export function targetFrom(flags: OtlpFlags, env: NodeJS.ProcessEnv): OtlpTarget {
  try {
    const t = resolveTarget(flags.url, flags.protocol, env);
    if (flags.timeout !== undefined) {
      const s = Number(flags.timeout);
      if (!(s > 0 && s <= 3600)) throw new CliError(`--timeout is seconds (0 < s <= 3600), not "${flags.timeout}"`);
      t.timeoutMs = s * 1000;
    }
    return t;
  } catch (e) {
    if (e instanceof OtlpSettingsError) throw new CliError(e.message);
    throw e;
  }
}
