/**
 * Secrets in a command line, by the rules the recorder applies to a process's argv
 * (etAppendArgv in server/go/syscall/env/e_redact.go): the value of a flag whose name looks
 * secret (`--password=X`, `--password X`, `DB_PASS=X`), and any argument that holds the value
 * of a secret variable of the environment or looks secret itself (a URL with a password, a
 * token). Redacted parts become `<redacted h=<keyed hash> n=<bytes>>`; for display of a
 * command stored before run.json was redacted, `<redacted>` (no workspace key needed).
 */
import { isSecretKey, isSecretValue, MIN_SECRET_COPY } from './secrets';
import { sipHashHex } from './siphash';

export interface ArgvRedaction {
  /** The workspace key (32 hex digits) of the keyed hash. */
  hashKey: string;
  /** The environment the command runs in: values of its secret variables are secrets in argv too. */
  env?: NodeJS.ProcessEnv;
  /** Extra key patterns (`--redact`). */
  patterns?: readonly string[];
}

/** `-name=value`, `--name=value` or `NAME=value` with a name that could be a flag or a variable. */
const ASSIGNED = /^(-{0,2})([A-Za-z_][A-Za-z0-9_.-]*)=([\s\S]*)$/;
/** `-name` or `--name` (its value is the next argument). */
const FLAG = /^--?([A-Za-z_][A-Za-z0-9_.-]*)$/;

/** The values of the environment's secret variables (long enough to be told apart from ordinary words). */
export function secretValuesOf(env: NodeJS.ProcessEnv, patterns: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || v.length < MIN_SECRET_COPY || k.toUpperCase().startsWith('ENVTRACE_')) continue;
    if (isSecretKey(k, patterns) || isSecretValue(v)) out.add(v);
  }
  return [...out];
}

/** The command line with secret parts replaced by `<redacted h=… n=…>`. */
export function redactArgv(argv: readonly string[], o: ArgvRedaction): string[] {
  const mark = (s: string) => `<redacted h=${sipHashHex(o.hashKey, s)} n=${Buffer.byteLength(s)}>`;
  return redactWith(argv, o.patterns ?? [], secretValuesOf(o.env ?? {}, o.patterns), mark);
}

/** A part redacted already, by redactArgv or by redactArgvForDisplay. */
const REDACTED = /^<redacted(?: h=[0-9a-f]+ n=\d+)?>$/;

/**
 * The command line with the secret flag values and secret-looking arguments that redactArgv
 * would redact shown as `<redacted>`, for a command stored in clear (run.json of versions
 * before command lines were redacted). Parts redacted already stay as they are.
 */
export function redactArgvForDisplay(argv: readonly string[], patterns: readonly string[] = []): string[] {
  return redactWith(argv, patterns, [], (s) => (REDACTED.test(s) ? s : '<redacted>'));
}

function redactWith(argv: readonly string[], patterns: readonly string[], known: readonly string[], mark: (s: string) => string): string[] {
  let valueNext = false;
  return argv.map((a) => {
    if (valueNext) {
      valueNext = false;
      return mark(a);
    }
    const assigned = ASSIGNED.exec(a);
    if (assigned && isSecretKey(assigned[2], patterns)) return `${assigned[1]}${assigned[2]}=${mark(assigned[3])}`;
    const flag = FLAG.exec(a);
    if (flag && isSecretKey(flag[1], patterns)) {
      valueNext = true;
      return a;
    }
    return isSecretValue(a) || known.some((s) => a.includes(s)) ? mark(a) : a;
  });
}
