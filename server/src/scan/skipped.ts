/** Directory names the scanner never descends into (walks) nor indexes (edits reported inside them). */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['vendor', 'testdata', '.git', 'node_modules']);
