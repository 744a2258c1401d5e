/**
 * envtrace's custom LSP messages and the command ids its code lenses carry, shared by the
 * server and the client. Everything here is editor neutral: any LSP client may send these.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Location, Position, Range } from 'vscode-languageserver-protocol';
import type { SiteKind } from './scan/types';

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
