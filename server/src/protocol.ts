/**
 * envtrace's custom LSP messages and the command ids its code lenses carry, shared by the
 * server and the client. Everything here is editor neutral: any LSP client may send these.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Location, Position, Range } from 'vscode-languageserver-protocol';
import type { RunDiff } from './analysis/diff';
import type { FlameFilter, FlameResult } from './runs/flame';
import type { ServiceDiff } from './analysis/fleetDiff';
import type { TimelineWindow } from './runs/timelineView';
import type { SiteKind } from './scan/types';
import type { GraphEdge, GraphNode } from './uses/graph';

/** One static site as the custom messages carry it (LSP coordinates: 0-based, UTF-16). */
export interface SiteInfo {
  /** `file://` URI of the Go file. */
  uri: string;
  /** The call or struct field. */
  range: Range;
  kind: SiteKind;
  /** The key when fully known, else null. */
  key: string | null;
  /** A key with `*` for unknown parts (`FEATURE_*`), else null. */
  pattern: string | null;
  /** The API used: `os.Getenv`, `main.getenv`, ... */
  api: string;
  /** The fallback value when the key is unset, when known. */
  default: string | null;
  /** The enclosing function (`main.main`), when inside one. */
  function: string | null;
  /** True in `_test.go` files. */
  test: boolean;
}

/** Every site of one key (or of one pattern), in a stable order (by URI, then position). */
export interface InventoryKey {
  /** The key, or the pattern when `isPattern`. */
  name: string;
  isPattern: boolean;
  sites: SiteInfo[];
  /** The key's role and risk from the uses analysis (issue 15); absent for patterns and before a report exists. */
  risk?: { role: string; risk: string; reasons: string[] };
}

/** Request parameters of `envtrace/inventory`. */
export interface InventoryParams {
  /** Limit the answer to one workspace folder (its URI); all folders when absent. */
  folderUri?: string;
}

/** Result of `envtrace/inventory`. */
export interface InventoryResult {
  /** Keys and patterns, sorted by name. */
  keys: InventoryKey[];
  /** Sites without a key or pattern: dynamic keys, `os.Clearenv`, `os.Environ`. */
  other: SiteInfo[];
  /** Go files indexed. */
  files: number;
  /** True while the initial scan of some folder is still running (the answer may grow). */
  indexing: boolean;
}

/** The client's tree view asks for every key with its sites. */
export namespace InventoryRequest {
  export const method = 'envtrace/inventory' as const;
  export const type = new RequestType<InventoryParams, InventoryResult, void>(method);
}

/** Result of `envtrace/reindex`. */
export interface ReindexResult {
  files: number;
  sites: number;
}

/** The client (a "Rescan" command) asks the server to re-scan every workspace folder from disk. */
export namespace ReindexRequest {
  export const method = 'envtrace/reindex' as const;
  export const type = new RequestType<void, ReindexResult, void>(method);
}

/** Parameters of `envtrace/indexChanged`. */
export interface IndexChangedParams {
  files: number;
  sites: number;
  keys: number;
  /** True while an initial scan is still running. */
  indexing: boolean;
}

/** The server tells the client the index changed (after the initial scan and after edits), so views refresh. */
export namespace IndexChangedNotification {
  export const method = 'envtrace/indexChanged' as const;
  export const type = new NotificationType<IndexChangedParams>(method);
}

/**
 * Command id carried by every code lens. Arguments: `[uri: string, position: Position,
 * locations: Location[]]` (LSP JSON, the same shape as VS Code's `editor.action.showReferences`),
 * where `locations` are the other sites of the lens's key(s). The server does not execute it:
 * the client shows the locations (VS Code: convert and call `editor.action.showReferences`;
 * other editors: map the command to their location list, or use textDocument/references).
 */
export const ShowSitesCommand = 'envtrace.showSites' as const;

/** Arguments of {@link ShowSitesCommand}, in order. */
export type ShowSitesArguments = [uri: string, position: Position, locations: Location[]];

/** One run as the run messages list it. */
export interface RunSummary {
  /** The run id (a stored run's directory name, or an imported report's id). */
  id: string;
  label: string | null;
  command: string[];
  /** ISO 8601 times; '' / null when unknown or still running. */
  start: string;
  end: string | null;
  /** The traced command's exit status, when known. */
  exitCode: number | null;
  /** The run directory or report file. */
  source: string;
  /** `stored`: in the folder's run store; `imported`: added through `envtrace/importRun`. */
  kind: 'stored' | 'imported';
  /** False while the tracer is still recording it (run.json without `end`, its envtrace alive). */
  complete: boolean;
  /** True when its envtrace ended without finishing it (killed): it holds what was recorded until then. */
  interrupted: boolean;
  /** True when lenses, hovers, inlay hints and diagnostics show this run. */
  shown: boolean;
  /** What the run holds; null for runs that are not loaded (not shown). */
  counts: RunCounts | null;
  /** Why (part of) the run could not be read, in one line; null when all was read. */
  problem: string | null;
  /** The workspace folder whose store or imports hold the run. */
  folderUri: string;
}

/** Counts of a loaded run (or of the shown runs together). */
export interface RunCounts {
  events: number;
  processes: number;
  /** Distinct keys read. */
  keys: number;
  /** Keys read at least once while unset. */
  unset: number;
  /** Keys with a race. */
  races: number;
  /** Lines that could not be read (corrupt, truncated) and events lost. */
  badLines: number;
}

/** Parameters of `envtrace/runs`. */
export interface RunsParams {
  /** One workspace folder; every folder when absent. */
  folderUri?: string;
}

/** Result of `envtrace/runs`, `envtrace/showRuns`. */
export interface RunsResult {
  /** Stored runs newest first, then imported runs, per folder. */
  runs: RunSummary[];
}

/** The client (a run picker) asks for the runs of the store(s) and which are shown. */
export namespace RunsRequest {
  export const method = 'envtrace/runs' as const;
  export const type = new RequestType<RunsParams | undefined, RunsResult, void>(method);
}

/** Which stored runs are shown: `latest`, `all`, or the N newest. */
export type RunsShownMode = 'latest' | 'all' | number;

/** Parameters of `envtrace/showRuns`: `ids` or `mode` (neither: back to the `envtrace.runs.show` setting). */
export interface ShowRunsParams {
  /** The folder whose shown runs change; every folder when absent. */
  folderUri?: string;
  /** Show exactly these runs: ids of the store, run directories or report files. */
  ids?: string[];
  /** Show runs by this rule instead of the setting (until the setting changes). */
  mode?: RunsShownMode;
}

/** The client (a run picker) chooses the shown runs; the answer lists the runs after the change. */
export namespace ShowRunsRequest {
  export const method = 'envtrace/showRuns' as const;
  export const type = new RequestType<ShowRunsParams, RunsResult, void>(method);
}

/** Parameters of `envtrace/importRun`. */
export interface ImportRunParams {
  /** A JSON report (`envtrace report --format json`, e.g. from CI) or a run directory; absolute or folder-relative. */
  path: string;
  /** The folder to show it in; the first folder when absent. */
  folderUri?: string;
}

/** Result of `envtrace/importRun`: the imported run, now shown. */
export interface ImportRunResult {
  run: RunSummary;
}

/** The client (an "Import run" command) adds a report or run directory to the shown runs; an error when the path is not readable. */
export namespace ImportRunRequest {
  export const method = 'envtrace/importRun' as const;
  export const type = new RequestType<ImportRunParams, ImportRunResult, void>(method);
}

/** Parameters of `envtrace/diff`. */
export interface DiffParams {
  /** Run A and run B: ids of the folder's store, run directories or JSON reports. */
  a: string;
  b: string;
  /** The folder whose store and sites are used; the first folder when absent. */
  folderUri?: string;
}

/** Result of `envtrace/diff`. */
export interface DiffResult {
  /** The comparison, as `envtrace diff --format json` prints it (docs/FORMATS.md). */
  diff: RunDiff;
  /** The same as `envtrace diff --format text` prints it. */
  text: string;
  /** When either run is a fleet: the comparison per service (FORMATS section 4, `services`). */
  services?: ServiceDiff[];
}

/** The client (a "Compare runs" command) compares two runs per key; an error when a run cannot be read. */
export namespace DiffRequest {
  export const method = 'envtrace/diff' as const;
  export const type = new RequestType<DiffParams, DiffResult, void>(method);
}

/** Parameters of `envtrace/runsChanged`. */
export interface RunsChangedParams {
  folderUri: string;
  /** The runs now shown in the folder (empty: static data only). */
  shown: RunSummary[];
  /** The shown runs together. */
  counts: RunCounts;
}

/** The server tells the client the shown runs of a folder changed (a run completed, a choice, an import), e.g. for a status bar. */
export namespace RunsChangedNotification {
  export const method = 'envtrace/runsChanged' as const;
  export const type = new NotificationType<RunsChangedParams>(method);
}

/** Parameters of `envtrace/flame`. */
export interface FlameParams {
  /** The run directory. */
  run: string;
  filter?: FlameFilter;
}

/** Result of `envtrace/flame`: the aggregated tree and what the filters can choose from. */
export type { FlameResult } from './runs/flame';

/** The client (the flame graph view) asks for a run's env-access stacks, aggregated and filtered. */
export namespace FlameRequest {
  export const method = 'envtrace/flame' as const;
  export const type = new RequestType<FlameParams, FlameResult, void>(method);
}

/** Parameters of `envtrace/timeline`: a run directory and a window in µs from its start (the whole run when absent). */
export interface TimelineParams {
  run: string;
  from?: number;
  to?: number;
  /** Width of the drawing in pixels: the density's resolution. */
  columns?: number;
  /** Only this key's accesses (process marks stay). */
  key?: string;
  /** Answer once race analysis has placed the race lines (else the window may come with `racesPending`). */
  waitForRaces?: boolean;
}

/** The client (the timeline view) asks for a window of a run's timeline: marks, or density when zoomed out. */
export namespace TimelineRequest {
  export const method = 'envtrace/timeline' as const;
  export const type = new RequestType<TimelineParams, TimelineWindow, void>(method);
}

/** Parameters of `envtrace/graph`: a folder (every folder when absent) and a package in it (folder-relative directory, '' the root; the whole folder when absent). */
export interface GraphParams {
  folderUri?: string;
  package?: string;
}

/** A node of the dependency graph with the document to open (server/src/uses/graph.ts). */
export type GraphNodeInfo = GraphNode & { uri: string };

/** A package the graph can be limited to. */
export interface GraphPackage {
  folderUri: string;
  /** Folder-relative directory, '' for the folder's root. */
  dir: string;
  /** `dir` (`.` for the root), prefixed with the folder's name when there are several folders. */
  label: string;
}

/** Result of `envtrace/graph`. */
export interface GraphResult {
  nodes: GraphNodeInfo[];
  edges: GraphEdge[];
  /** Every package of the asked folders with something to draw (for a picker). */
  packages: GraphPackage[];
  /** True while an initial scan is still running (the graph may grow). */
  indexing: boolean;
}

/** The client (the dependency graph view) asks for keys → functions → sinks, coloured by risk, per workspace or package. */
export namespace GraphRequest {
  export const method = 'envtrace/graph' as const;
  export const type = new RequestType<GraphParams | undefined, GraphResult, void>(method);
}
