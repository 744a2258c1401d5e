/** Reading one Go file or go.mod of a tree that may be hostile (issue 10), for the walk and the load pool. */
import { readRegularSync, UnreadableFile, whyUnreadable } from '../files/readRegular';

/** Go files larger than this are skipped with a note (generated tables; nothing a person edits). */
export const MAX_GO_FILE = 16 << 20;

/**
 * The bytes of a Go file inside `within`, or the reason it was skipped: not a regular file
 * (a FIFO, /dev/zero), a symlink out of `within`, larger than MAX_GO_FILE, or gone.
 * `walked`: the path comes from a walk of `within` that entered no symlinked directory (ReadLimits).
 */
export function readGoFile(path: string, within: string, walked = false): Buffer | string {
  try {
    return readRegularSync(path, { within, maxBytes: MAX_GO_FILE, walked });
  } catch (e) {
    return e instanceof UnreadableFile ? e.reason : `not readable (${whyUnreadable(e)})`;
  }
}
