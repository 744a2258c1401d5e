/**
 * The bytes of a run's process files in whole lines, with bounded memory whatever a file
 * holds (a clone can commit a process file that is a link to /dev/zero): the reader's file
 * access, injectable so callers can read from elsewhere.
 */
import { readdir } from 'node:fs/promises';
import { openRegular } from '../files/readRegular';

/** File access of the reader; injected so callers can read from elsewhere. */
export interface RunFs {
  readdir(dir: string): Promise<string[]>;
  /**
   * The file's bytes in chunks that end at a line end (the last one may not). A chunk is
   * valid until the next one is asked for (its buffer is reused). Only a regular file inside
   * `within` is read (else UnreadableFile); a line longer than MAX_LINE is dropped and
   * reported to `skipped` with its length.
   */
  chunks(file: string, within: string, skipped: (bytes: number) => void): AsyncIterable<Buffer>;
}

const CHUNK = 1 << 20;
/** The longest line read (a process record holds the starting environment: at most a few MB). */
export const MAX_LINE = 16 << 20;

/**
 * The bytes of a file in whole lines, read into one reused buffer, grown for longer lines up
 * to MAX_LINE; a longer line is dropped as it streams by, so memory stays bounded whatever
 * the file holds.
 */
export async function* fileChunks(file: string, within: string, skipped: (bytes: number) => void): AsyncIterable<Buffer> {
  const fh = await openRegular(file, { within });
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let filled = 0;
    let dropping = 0; // bytes of an over-long line dropped so far
    for (;;) {
      if (filled === buf.length) {
        // The buffer holds no line end (whole lines were handed out after each read).
        if (buf.length >= MAX_LINE) {
          dropping += filled;
          filled = 0;
        } else {
          const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_LINE));
          buf.copy(bigger, 0, 0, filled);
          buf = bigger;
        }
      }
      const from = filled;
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
      if (bytesRead === 0) {
        if (dropping) skipped(dropping + filled);
        else if (filled) yield buf.subarray(0, filled);
        return;
      }
      filled += bytesRead;
      if (dropping) {
        const end = buf.subarray(0, filled).indexOf(10, from);
        if (end < 0) continue;
        skipped(dropping + end + 1);
        dropping = 0;
        buf.copy(buf, 0, end + 1, filled);
        filled -= end + 1;
        if (filled === 0) continue;
      }
      const nl = buf.lastIndexOf(10, filled - 1);
      if (nl < 0) continue;
      yield buf.subarray(0, nl + 1);
      buf.copy(buf, 0, nl + 1, filled);
      filled -= nl + 1;
    }
  } finally {
    await fh.close();
  }
}

/** The local file system. */
export const nodeRunFs: RunFs = {
  readdir: (dir) => readdir(dir),
  chunks: fileChunks,
};
