/**
 * What the LSP features read: an index of static sites in LSP coordinates, and hooks through
 * which another layer (the merge of runtime observations) adds to lenses and hovers.
 */
import type { Range } from 'vscode-languageserver-protocol';
import type { Site } from '../scan/types';

/** One static site placed in the workspace. */
export interface SiteEntry {
  /** `file://` URI of the Go file. */
  readonly uri: string;
  /** The scanner's site (`file` relative to its workspace folder, 1-based coordinates). */
  readonly site: Site;
  /** The same place in LSP coordinates (0-based, UTF-16, exclusive end). */
  readonly range: Range;
}

/** Read access to every site of the workspace, as the features need it. */
export interface SiteIndex {
  /** Sites of one document, sorted by position; empty when none or unknown. */
  sitesIn(uri: string): readonly SiteEntry[];
  /** Sites whose key is exactly `key`. */
  withKey(key: string): readonly SiteEntry[];
  /** Sites whose pattern is exactly `pattern`. */
  withPattern(pattern: string): readonly SiteEntry[];
  /** Every known key (not patterns). */
  keys(): Iterable<string>;
  /** Every known pattern. */
  patterns(): Iterable<string>;
  /** Every site of the workspace. */
  all(): Iterable<SiteEntry>;
}

/**
 * Adds facts to the static features, e.g. values observed at run time. A lens shows the
 * parts of the first annotator that has any for its line, else the static title; a hover
 * shows every annotator's sections between the static facts and the list of other sites.
 */
export interface SiteAnnotator {
  /** Lens title parts (plain text) for the sites starting on one line; empty to keep the static title. */
  lens?(entries: readonly SiteEntry[]): readonly string[];
  /** Hover sections for one site, as markdown that the annotator has already escaped. */
  hover?(entry: SiteEntry): readonly string[];
}
