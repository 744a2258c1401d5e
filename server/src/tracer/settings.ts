/**
 * The recorder's settings travel to traced processes in these environment variables.
 * The recorder reads them once through the original syscall functions, never traces
 * them, and hides them from Environ(). Keep in sync with server/go/.
 */
export const SETTINGS = {
  /** Absolute run directory; tracing is on only when this is set. */
  dir: 'ENVTRACE_DIR',
  /** Run id, copied into each process record. */
  run: 'ENVTRACE_RUN',
  /** Frames per stack (default 16). */
  stack: 'ENVTRACE_STACK',
  /** Extra key patterns to redact, newline-separated regular expressions (subset: see server/go). */
  redact: 'ENVTRACE_REDACT',
  /** "1" stores values in clear (the explicit opt-out of redaction). */
  noRedact: 'ENVTRACE_NO_REDACT',
  /** Hex key for the keyed hash of redacted values (from the workspace's .envtrace/key). */
  hashKey: 'ENVTRACE_KEY',
  /**
   * A file holding that key (32 hex digits), read when ENVTRACE_KEY is not set: how a key reaches a
   * container without being in its image or environment (a mounted secret). Without either, a
   * process makes (or reuses) the file `key` in ENVTRACE_DIR.
   */
  hashKeyFile: 'ENVTRACE_KEY_FILE',
  /** "1": each process record holds the whole starting environment (otherwise only what the program reads). */
  fullEnv: 'ENVTRACE_FULL_ENV',
  /** Keyed hashes and lengths of secrets the parent has seen; set by the recorder for its children. */
  secrets: 'ENVTRACE_SECRETS',
  /** "1" turns on the precise race mode (shadow accesses for the race detector). */
  race: 'ENVTRACE_RACE',
  /** A FIFO envtrace holds open for writing: on Linux a traced process gets SIGKILL when envtrace ends (server/go/syscall/exec_linux). */
  alive: 'ENVTRACE_ALIVE',
  /** Pid of the nearest traced ancestor; set by the recorder for its children. */
  parent: 'ENVTRACE_PARENT',
} as const;
