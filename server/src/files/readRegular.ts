/**
 * Reading files that an untrusted clone may hold (issue 10): Go files, run files, `.env`
 * files, reports. Only regular files are read; the check is made on the open descriptor
 * (fstat), so a swap between a check and the read cannot win. The open never blocks (a FIFO
 * opens at once and is then refused), never follows a symlink out of the allowed directories
 * unless the caller allows it, and sizes are capped. Every refusal is an {@link UnreadableFile}
 * whose message says what was skipped and why, for the caller's note.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { relative, isAbsolute, resolve, sep } from 'node:path';

/** What a reader allows. */
export interface ReadLimits {
  /**
   * Directories the file must be inside once symlinks are resolved (a symlink leading out of
   * them is refused). Undefined: no such check (the user named the file).
   */
  within?: string | readonly string[];
  /** Files larger than this (bytes) are refused. Undefined: no cap (the caller streams). */
  maxBytes?: number;
  /**
   * The path was listed by a walk of `within` that entered no symlinked directory (scan/walk.ts):
   * it is opened as given with NOFOLLOW, which spares resolving every path; only a path that
   * is itself a symlink is resolved and checked as without this flag.
   */
  walked?: boolean;
}

/** A file that was not read, with a one-line reason (`zero.go: not a regular file (a character device)`). */
export class UnreadableFile extends Error {
  /** Node-style code, so callers that count IO errors count these too. */
  readonly code = 'EUNREADABLE';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

// NOTE: O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer;
// it changes nothing for regular files. Both flags are absent on Windows (no FIFOs there).
const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** Whole-file reads without a cap of their own stop here (a Buffer's practical limit). */
const MAX_UNCAPPED = 1 << 30;

/** Megabytes for messages. */
export function megabytes(n: number): string {
  return `${Math.round((n / (1 << 20)) * 10) / 10} MB`;
}

/** What a non-regular file is, in words. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

function inside(real: string, roots: readonly string[]): boolean {
  return roots.some((r) => {
    const rel = relative(r, real);
    return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
  });
}

const rootsOf = (l: ReadLimits): readonly string[] | null => (l.within === undefined ? null : typeof l.within === 'string' ? [l.within] : l.within);

function refusal(path: string, e: unknown): UnreadableFile | unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return new UnreadableFile(path, 'a symlink changed while it was opened (not followed)');
  return e;
}

/** Checks the descriptor's file: regular, and not over the size cap. */
function checkStats(path: string, st: Stats, limits: ReadLimits): void {
  if (!st.isFile()) throw new UnreadableFile(path, `not a regular file (${kindOf(st)})`);
  if (limits.maxBytes !== undefined && st.size > limits.maxBytes) {
    throw new UnreadableFile(path, `larger than ${megabytes(limits.maxBytes)} (${megabytes(st.size)}), skipped`);
  }
}

/**
 * The path to open and its flags: with `within`, the resolved path (refused when outside
 * every root; roots resolved too), opened with NOFOLLOW so that a symlink swapped in after
 * the check is refused; without, the path as given.
 */
function confine(path: string, roots: readonly string[] | null, real: string, realRoots: readonly string[]): { file: string; flags: number } {
  if (!roots) return { file: path, flags: FLAGS };
  if (!inside(real, realRoots)) throw new UnreadableFile(path, `a symlink to ${real}, outside ${roots.join(', ')} (not followed)`);
  return { file: real, flags: FLAGS | NOFOLLOW };
}

async function target(path: string, limits: ReadLimits): Promise<{ file: string; flags: number }> {
  const roots = rootsOf(limits);
  if (!roots) return confine(path, null, path, []);
  return confine(path, roots, await realpath(path), await Promise.all(roots.map((r) => realpath(r).catch(() => resolve(r)))));
}

function targetSync(path: string, limits: ReadLimits): { file: string; flags: number } {
  const roots = rootsOf(limits);
  if (!roots) return confine(path, null, path, []);
  const real = (r: string) => {
    try {
      return realpathSync.native(r);
    } catch {
      return resolve(r);
    }
  };
  return confine(path, roots, realpathSync.native(path), roots.map(real));
}

/**
 * Opens a regular file for reading; throws UnreadableFile for anything else (FIFO, device,
 * directory, a symlink out of `within`, over `maxBytes`), or the open's own error.
 */
export async function openRegular(path: string, limits: ReadLimits = {}): Promise<FileHandle> {
  const { file, flags } = await target(path, limits);
  let fh: FileHandle;
  try {
    fh = await open(file, flags);
  } catch (e) {
    throw refusal(path, e);
  }
  try {
    checkStats(path, await fh.stat(), limits);
    return fh;
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/**
 * Collects a file's bytes: one buffer of the size fstat gave (plus one byte, to see growth),
 * grown only when the file grows while read, and never past the cap.
 */
class Collector {
  private buf: Buffer;
  private filled = 0;
  constructor(
    private readonly path: string,
    size: number,
    private readonly cap: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.min(size, cap) + 1);
  }
  /** Where the next read goes. */
  get space(): [Buffer, number, number] {
    if (this.filled === this.buf.length) {
      if (this.filled > this.cap) throw new UnreadableFile(this.path, `grew past ${megabytes(this.cap)} while read, skipped`);
      const bigger = Buffer.allocUnsafe(Math.min(this.buf.length * 2, this.cap + 1));
      this.buf.copy(bigger, 0, 0, this.filled);
      this.buf = bigger;
    }
    return [this.buf, this.filled, this.buf.length - this.filled];
  }
  /** Records a read of `n` bytes; false at the end of the file. */
  add(n: number): boolean {
    this.filled += n;
    if (this.filled > this.cap) throw new UnreadableFile(this.path, `grew past ${megabytes(this.cap)} while read, skipped`);
    return n > 0;
  }
  get bytes(): Buffer {
    return this.buf.subarray(0, this.filled);
  }
}

/** The bytes of a regular file (see openRegular); never more than `maxBytes` even if it grows meanwhile. */
export async function readRegular(path: string, limits: ReadLimits = {}): Promise<Buffer> {
  const fh = await openRegular(path, limits);
  try {
    const c = new Collector(path, (await fh.stat()).size, limits.maxBytes ?? MAX_UNCAPPED);
    while (c.add((await fh.read(...c.space, null)).bytesRead));
    return c.bytes;
  } finally {
    await fh.close();
  }
}

/** readRegular as UTF-8 text. */
export async function readRegularText(path: string, limits: ReadLimits = {}): Promise<string> {
  return (await readRegular(path, limits)).toString('utf8');
}

/** Opens a walked path that is not a symlink itself; undefined for a symlink (to be resolved and checked). */
function openWalked(path: string): number | undefined {
  try {
    return openSync(path, FLAGS | NOFOLLOW);
  } catch (e) {
    // NOTE: ELOOP on Linux and macOS, EMLINK on FreeBSD: the path is a symlink.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') return undefined;
    throw e;
  }
}

/** The synchronous readRegular (the scanner reads thousands of small files in batches). */
export function readRegularSync(path: string, limits: ReadLimits = {}): Buffer {
  let fd = limits.walked ? openWalked(path) : undefined;
  if (fd === undefined) {
    const { file, flags } = targetSync(path, limits);
    try {
      fd = openSync(file, flags);
    } catch (e) {
      throw refusal(path, e);
    }
  }
  try {
    const st = fstatSync(fd);
    checkStats(path, st, limits);
    const c = new Collector(path, st.size, limits.maxBytes ?? MAX_UNCAPPED);
    while (c.add(readSync(fd, ...c.space, null)));
    return c.bytes;
  } finally {
    closeSync(fd);
  }
}

/** The one-line reason a read failed: UnreadableFile's own, else the error's code or first line. */
export function whyUnreadable(e: unknown): string {
  if (e instanceof UnreadableFile) return e.reason;
  const err = e as NodeJS.ErrnoException;
  return err.code ?? String(err.message ?? e).split('\n')[0];
}
