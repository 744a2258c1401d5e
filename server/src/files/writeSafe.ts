/**
 * Writes that a hostile clone cannot redirect. envtrace writes only regular files it creates
 * itself (O_CREAT|O_EXCL|O_NOFOLLOW; a replacement is a new temp file renamed over the old
 * name), in directories it created or checked: a real directory (not a symlink) owned by the
 * user. Modes are set on the descriptor after creation, so the umask does not widen or narrow
 * them. Every failure is an UnsafeWriteError with a one-line message for the user.
 *
 * NOTE: the checks are by path (Node has no openat), so they stop what a repository can
 * hold (committed symlinks, a store of another user) but not a local attacker racing to
 * swap a checked directory; the store's 0700 mode keeps other users out of it.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { type FileHandle, link, lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A write envtrace refuses or cannot make; its message is one line naming the path and what to do. */
export class UnsafeWriteError extends Error {}

const WINDOWS = process.platform === 'win32';
// Windows has neither flag (nor symlinks a clone can plant without privileges): 0 leaves them out.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const DIRECTORY = constants.O_DIRECTORY ?? 0;

/**
 * Creates `dir` with `mode`, or checks an existing one (a directory, not a symlink, owned by
 * the user) and takes away the permissions `mode` does not grant (0755 becomes 0700; a
 * directory the user made read-only stays read-only).
 */
export async function ensureOwnDir(dir: string, mode = 0o700): Promise<void> {
  let created = true;
  try {
    await mkdir(dir, { mode });
  } catch (e) {
    if (code(e) !== 'EEXIST') throw failure(e, dir, 'create directory');
    created = false;
  }
  await checkDir(dir, mode, created);
}

/** Creates `dir`, which must not exist yet, with `mode`. */
export async function makeNewDir(dir: string, mode = 0o700): Promise<void> {
  try {
    await mkdir(dir, { mode });
  } catch (e) {
    throw failure(e, dir, 'create directory');
  }
  await checkDir(dir, mode, true);
}

/** Writes `data` to `file`, which must not exist yet (not even as a dangling symlink), with `mode`. */
export async function writeNewFile(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  let h;
  try {
    h = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
  } catch (e) {
    throw failure(e, file, 'create');
  }
  try {
    await bestEffortChmod(h, mode);
    await h.writeFile(data);
  } catch (e) {
    await h.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw failure(e, file, 'write');
  }
  await h.close();
}

/** Replaces `file` with `data` atomically: a new temp file beside it, renamed over it (a symlink there is replaced, never followed). */
export async function replaceFile(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = tempName(file);
  await writeNewFile(tmp, data, mode);
  try {
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw failure(e, file, 'replace');
  }
}

/**
 * Creates `file` with `data` unless something already has that name: a complete temp file is
 * linked to the name (link(2) never replaces), so a reader never sees a partial file and of
 * two racing creators exactly one wins. Returns false when the name was taken.
 */
export async function linkNewFile(file: string, data: string | Uint8Array, mode = 0o600): Promise<boolean> {
  const tmp = tempName(file);
  await writeNewFile(tmp, data, mode);
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    if (code(e) === 'EEXIST') return false;
    throw failure(e, file, 'create');
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Throws unless `st` (from lstat or fstat) is owned by the user running envtrace. */
export function checkOwner(st: Stats, path: string, what: string): void {
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new UnsafeWriteError(`${path}: ${what} belongs to another user (uid ${st.uid}); envtrace uses only files you own: remove it or fix its owner`);
  }
}

/** The one-line error for a failed file operation; a symlink where a file or directory belongs is named as such. */
export function failure(e: unknown, path: string, action: string): UnsafeWriteError {
  if (e instanceof UnsafeWriteError) return e;
  const c = code(e);
  if (c === 'ELOOP' || c === 'EMLINK') return symlinkError(path);
  if (c === 'EEXIST') return new UnsafeWriteError(`${path} already exists; envtrace writes only files it creates: remove it`);
  const why =
    c === 'EACCES' || c === 'EPERM'
      ? 'permission denied'
      : c === 'EROFS'
        ? 'read-only file system'
        : c === 'ENOTDIR'
          ? 'a part of the path is not a directory'
          : c === 'ENOSPC'
            ? 'no space left on device'
            : (c ?? (e instanceof Error ? e.message : String(e)));
  return new UnsafeWriteError(`cannot ${action} ${path}: ${why}`);
}

function symlinkError(path: string): UnsafeWriteError {
  return new UnsafeWriteError(`${path} is a symlink; envtrace does not write through links (a cloned repository could aim it anywhere): remove it`);
}

async function checkDir(dir: string, mode: number, created: boolean): Promise<void> {
  if (WINDOWS) {
    const st = await lstat(dir).catch((e: unknown) => {
      throw failure(e, dir, 'inspect');
    });
    if (st.isSymbolicLink()) throw symlinkError(dir);
    if (!st.isDirectory()) throw new UnsafeWriteError(`${dir} is not a directory: remove it or choose another --dir`);
    return;
  }
  let h;
  try {
    h = await open(dir, constants.O_RDONLY | DIRECTORY | NOFOLLOW);
  } catch (e) {
    if (code(e) === 'ENOTDIR') {
      const st = await lstat(dir).catch(() => null);
      if (st?.isSymbolicLink()) throw symlinkError(dir);
      throw new UnsafeWriteError(`${dir} is not a directory: remove it or choose another --dir`);
    }
    throw failure(e, dir, 'open directory');
  }
  try {
    const st = await h.stat();
    checkOwner(st, dir, 'the directory');
    const want = created ? mode : st.mode & 0o777 & mode;
    if ((st.mode & 0o777) !== want) await bestEffortChmod(h, want);
  } catch (e) {
    throw failure(e, dir, 'set the mode of');
  } finally {
    await h.close();
  }
}

// NOTE: file systems without Unix modes (FAT, some network mounts) refuse chmod; what the
// create call gave is then all there is, and refusing to run would help nobody.
async function bestEffortChmod(h: FileHandle, mode: number): Promise<void> {
  await h.chmod(mode).catch((e: unknown) => {
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EROFS'].includes(code(e) ?? '')) throw e;
  });
}

function tempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}
