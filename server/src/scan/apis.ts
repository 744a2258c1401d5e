/** The environment APIs of the standard library the scanner knows, by package and function. */
import type { SiteKind } from './types';

/** How a standard-library env function is read: what it does and where its key is. */
export interface ApiInfo {
  kind: SiteKind | 'expand';
  /** Index of the key argument, or -1 when the call has no key. */
  keyArg: number;
}

/** os.* and syscall.* functions that touch the environment. */
export const ENV_APIS: Record<'os' | 'syscall', Record<string, ApiInfo>> = {
  os: {
    Getenv: { kind: 'read', keyArg: 0 },
    LookupEnv: { kind: 'read', keyArg: 0 },
    Setenv: { kind: 'write', keyArg: 0 },
    Unsetenv: { kind: 'unset', keyArg: 0 },
    Clearenv: { kind: 'clear', keyArg: -1 },
    Environ: { kind: 'environ', keyArg: -1 },
    ExpandEnv: { kind: 'expand', keyArg: 0 },
    Expand: { kind: 'expand', keyArg: 0 },
  },
  syscall: {
    Getenv: { kind: 'read', keyArg: 0 },
    Setenv: { kind: 'write', keyArg: 0 },
    Unsetenv: { kind: 'unset', keyArg: 0 },
    Clearenv: { kind: 'clear', keyArg: -1 },
    Environ: { kind: 'environ', keyArg: -1 },
  },
};

/** The testing types whose Setenv method writes the environment. */
export const TESTING_TYPES = new Set(['T', 'B', 'F', 'TB']);

/** Finds, in a file's text, every word that may name an env API (including `Setenv` of testing.T). */
export const API_WORDS = /\b(?:Getenv|LookupEnv|Setenv|Unsetenv|Clearenv|Environ|ExpandEnv|Expand)\b/g;

// `Expand` alone is not enough to parse a file: os.Expand reads the environment only when
// its mapping is os.Getenv, and then the file mentions Getenv too.
const PREFILTER = /\b(?:Getenv|LookupEnv|Setenv|Unsetenv|Clearenv|Environ|ExpandEnv)\b/;

// Config libraries (issue 6): their imports, and the struct tags they read.
const LIBRARY_PREFILTER = /env:"|envconfig|caarlos0\/env|spf13\/viper|joho\/godotenv/;

/** True when a file's text may call an env API or use a config library at all (the pre-filter before parsing). */
export function mentionsEnvApi(text: string): boolean {
  // NOTE: plain indexOf first: several times faster than the regex over a whole tree.
  if (text.indexOf('env') < 0 && text.indexOf('Env') < 0 && text.indexOf('spf13/viper') < 0) return false;
  return PREFILTER.test(text) || LIBRARY_PREFILTER.test(text);
}
