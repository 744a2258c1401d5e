/**
 * What a static site does with the environment. Stable: part of `envtrace scan --json`.
 * `source` (issue 6): a call that loads variables from files (godotenv.Load), key null.
 */
export type SiteKind = 'read' | 'write' | 'unset' | 'clear' | 'environ' | 'source';

/**
 * One place in the Go source that touches the environment, as `envtrace scan --json`
 * prints it. Lines and columns are 1-based; `endColumn` is exclusive.
 */
export interface Site {
  /** Path relative to the scan root, with `/` separators. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  kind: SiteKind;
  /** The key when fully known statically, else null. */
  key: string | null;
  /** A key with `*` for the unknown parts (`FEATURE_*`) when only partly known, else null. */
  pattern: string | null;
  /** The API used: `os.Getenv`, `syscall.Setenv`, `testing.T.Setenv`, `main.getenv`, ... */
  api: string;
  /** The fallback value the code uses when the key is unset, when known. */
  default: string | null;
  /** The enclosing function, qualified by package name: `main.main`, `config.(*Loader).Load`. */
  function: string | null;
  /** True when the file is a `_test.go` file. */
  test: boolean;
  /**
   * Only on a call made by a `defer` statement: the lines where its function exits (`return`
   * statements, closing brace), where Go runs the call and a trace records it. Empty when
   * another deferred call of the same kind there may use the same key.
   */
  deferred?: number[];
  /** Extra facts some site kinds carry (struct tag options, sources); absent when none. */
  options?: string[];
}

/** Something the scanner left out of a file, and why (e.g. syntax nested too deep to walk). */
export interface ScanNote {
  /** Path relative to the scan root, with `/` separators. */
  file: string;
  message: string;
}

/** The result of scanning one tree: the JSON object `envtrace scan --json` prints. */
export interface ScanResult {
  /** Absolute path of the scanned root. */
  root: string;
  /** Number of Go files read. */
  files: number;
  sites: Site[];
  /** What was left out of which file; absent when nothing was. */
  notes?: ScanNote[];
}
