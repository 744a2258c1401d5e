/**
 * The static scanner's public API (the only module other code should import from scan/).
 *
 *   const scanner = await createScanner();              // loads the wasm once
 *   const index = scanner.createIndex('/abs/workspace');
 *   index.setFile('/abs/workspace/go.mod', text);      // go.mod files: module line → package dirs
 *   index.setFile('/abs/workspace/main.go', text);     // .go files: stored, parsed lazily
 *   index.deleteFile(path);
 *   const changed = index.refresh();                     // brings sites up to date; returns the
 *                                                        // .go files whose sites changed
 *   index.sitesOf(path); index.allSites();               // Site[] (scan JSON shape, types.ts)
 *   await loadTree(index, { onProgress, workers });      // walks the root from disk (walk.ts)
 *   await scanTree(root, options);                       // one-shot: ScanResult for CLI/bench
 *
 * Paths are absolute file-system paths; `Site.file` is relative to the index root with `/`.
 * The index keeps each file's source (a string, or UTF-8 bytes decoded only when needed): it
 * must re-filter files when helper functions or constants appear elsewhere. It parses only
 * files whose text mentions an env API, a helper or a needed constant, and of those only the
 * top-level declarations that matter; `loadTree` reads and parses on worker threads too
 * (loadPool.ts). An edit re-parses that one file; keys, constants and helpers are
 * re-resolved from per-file facts without re-parsing, across all files only when constants or helpers changed. Files
 * below the root in vendor/, testdata/, .git/, node_modules/ are ignored. Nothing here throws
 * on bad Go.
 *
 * With `index.keepLocalFlows` set before loading, every parse (worker or not) also runs the uses
 * analysis' first step on its tree (uses/siteFlows.ts) and keeps it in the file's facts
 * (`localFlowAt`), so the uses report parses no file with sites a second time.
 *
 * Runtime data can be attached to sites later through `siteId(site)` (file + range + key),
 * which stays stable while the text of the file does not change.
 *
 * Decisions where the issue is silent: `t.Setenv` sites name the receiver's type
 * (`testing.T.Setenv`, `testing.B.Setenv`, `testing.F.Setenv`, `testing.TB.Setenv`); a helper's
 * api names it like Go does (`main.getenv`, `config.(*Loader).Get`) and its calls take the kind
 * of the access it wraps (a wrapper of os.Setenv makes writes); code outside any function
 * (package-level `var x = os.Getenv(…)`) is in `<pkg>.init`; a helper's default is the argument
 * for the one other parameter it returns or assigns, as written when it is not a string
 * (`getInt("N", 4)` → "4"); ExpandEnv on a constant yields one site per variable at the call;
 * `cmp.Or(os.Getenv("K"), "x")` gives the read the default "x", and so do the usual
 * `if v == "" { v = "x" }` / `if !ok { … }` shapes around a read (defaults.ts); `Setenv` on
 * a value whose type is not visible counts when the file imports testing and the value is
 * named t, b, f or tb; a package-level variable holding an env function
 * (`var lookupEnv = os.LookupEnv`) is a helper: its calls are sites with api `main.lookupEnv`.
 *
 * Config libraries (issue 6; libraryFacts.ts → librarySites.ts, rules in libraryKeys.ts): the
 * pre-filter also passes files importing caarlos0/env, kelseyhightower/envconfig, spf13/viper or
 * joho/godotenv or holding `env:"` tags; such files are parsed with their `type` and `var`
 * declarations. Struct fields become `read` sites (caarlos0 tags with `envPrefix` nesting;
 * envconfig.Process fields, the struct found across files and packages through the same
 * "missing name" path as constants), viper binds/gets are read sites at the call, godotenv
 * loads are `source` sites. `.env` files are parsed by dotenv.ts (no IO), outside the index.
 */
import { type WasmPaths, loadGoLanguage } from './parser';
import { WorkspaceIndex } from './workspace';
import type { ScanResult, Site } from './types';
import { loadTree, scanTreeWith, type ScanOptions } from './walk';

export type { Site, SiteKind, ScanNote, ScanResult } from './types';
export { WorkspaceIndex } from './workspace';
export { loadTree, type LoadOptions, type ScanOptions } from './walk';
// For checks that look at syntax the scanner does not keep (check/parallelSetenv.ts).
export { loadGoLanguage, newGoParser } from './parser';

/** Loads tree-sitter once and makes workspace indexes. */
export interface Scanner {
  /** A new, empty index whose `Site.file` paths are relative to `root` (absolute). */
  createIndex(root: string): WorkspaceIndex;
  /** Reads every Go file under `root` (skipping vendor/, testdata/, .git/, node_modules/) and scans it. */
  scanTree(root: string, options?: ScanOptions): Promise<ScanResult>;
}

/** Loads web-tree-sitter and tree-sitter-go (from beside the bundle, else node_modules). */
export async function createScanner(wasm: WasmPaths = {}): Promise<Scanner> {
  const language = await loadGoLanguage(wasm);
  return {
    createIndex: (root) => new WorkspaceIndex(language, root),
    scanTree: (root, options) => scanTreeWith(new WorkspaceIndex(language, root), options),
  };
}

/** One-shot scan of a tree from disk: what `envtrace scan --json` prints. */
export async function scanTree(root: string, options: ScanOptions & { wasm?: WasmPaths } = {}): Promise<ScanResult> {
  const scanner = await createScanner(options.wasm);
  return scanner.scanTree(root, options);
}

/** A stable identity for a site within its file's current text (to attach runtime data). */
export function siteId(site: Site): string {
  return `${site.file}:${site.line}:${site.column}-${site.endLine}:${site.endColumn}:${site.kind}:${site.key ?? site.pattern ?? ''}`;
}

// Re-exported so callers need a single import for the one-shot path as well.
export { loadTree as loadWorkspace };
