/**
 * Where an env value goes (issue 15): the shapes `envtrace scan --json` adds to sites
 * (`uses`) and to keys (`keys[KEY].role/risk/reasons`). Stable: documented in docs/FORMATS.md.
 */

/** What kind of call consumes a value. */
export type SinkKind = 'database' | 'listen' | 'outbound' | 'credential' | 'file' | 'mode' | 'flag' | 'parse' | 'output';

/** One place a site's value reaches a consuming call. */
export interface Use {
  kind: SinkKind;
  /** The consuming API as Go names it: `sqlx.Connect`, `http.Server.Addr`, `log.Printf`, `== "true"`. */
  api: string;
  /** Where the consuming call is (relative to the scan root, `/` separators; 1-based). */
  file: string;
  line: number;
  column: number;
  /** The function the use is in (`main.main`), null at package level. */
  function: string | null;
  /** What part the value plays there, when known: `password`, `user`, `host`, `dsn`, `key`, `cert`, `addr`. */
  part?: string;
  /** For `parse` uses: whether the error result is looked at. */
  errorChecked?: boolean;
}

/** What a key is for, derived only from its uses (never from its name alone). */
export type Role = 'credential' | 'dsn' | 'database' | 'listen' | 'url' | 'path' | 'mode' | 'flag' | 'number' | 'duration' | 'logged' | 'unknown';

export type RiskLevel = 'critical' | 'high' | 'medium' | 'low' | 'unknown';

/** A key's role and risk with the rules that gave them. */
export interface KeyRisk {
  role: Role;
  risk: RiskLevel;
  /** One line per rule that fired: `R1 secret-to-output: DB_PASSWORD reaches log.Printf (main.go:20)`. */
  reasons: string[];
}

/** What the flow found about one site, besides its uses. */
export interface SiteFlow {
  uses: Use[];
  /** The value is tested before use: `v == ""`, `len(v) < n`, `!ok` after LookupEnv. */
  checked: boolean;
}
