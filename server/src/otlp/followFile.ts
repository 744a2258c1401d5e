/**
 * One process file followed while its process appends to it: the run reader's chunks
 * (runs/lines.ts RunFs.chunks), handed out as records settle. A recorder on Linux copies
 * records into a shared mapping that grows in zero-filled 1 MB chunks (docs/FORMATS.md
 * section 2), so bytes past the first zero byte are not settled yet: a chunk ends at the last
 * newline before it. A run of zero bytes with records after it that stays for `holeMs` is a
 * record a killed writer never finished (or the tail of the last mapped chunk before the
 * recorder fell back to write(2)): it is handed to the reader, which skips it.
 */
import type { FileHandle } from 'node:fs/promises';
import { openRegular } from '../files/readRegular';
import { MAX_LINE } from '../runs/lines';

const PROBE = 64 << 10;

/** Progress of one followed file, in bytes from its start. */
export interface FollowState {
  /** Bytes already acknowledged by the collector (a line end): events before it are replayed, not sent. */
  acked: number;
  /** Bytes whose events the reader has handed on (updated when the next chunk is asked for). */
  handed: number;
  /** True while the chunk being read lies before `acked`. */
  replaying: boolean;
}

/** How a follower waits and when it stops. */
export interface FollowControl {
  /** Resolves after the poll interval, or at once when stopping. */
  wait(): Promise<void>;
  stopped(): boolean;
  /** Resolves when the sender has room for more records (bounded memory while the collector is down). */
  room(): Promise<void>;
  holeMs: number;
}

/** The settled chunks of `file` from its start, until `ctl` stops. */
export async function* followChunks(file: string, within: string, st: FollowState, ctl: FollowControl): AsyncIterable<Buffer> {
  const fh = await openRegular(file, { within });
  try {
    let buf = Buffer.allocUnsafe(1 << 20);
    let pos = 0;
    let skipTo = 0; // the end of a hole being handed to the reader
    const stall = { at: -1, since: 0 };
    for (;;) {
      st.handed = pos;
      if (ctl.stopped()) return;
      await ctl.room();
      let end: number;
      if (pos < skipTo) {
        end = await readAt(fh, buf, pos, Math.min(skipTo - pos, buf.length), false);
        if (end === 0) skipTo = pos; // the file shrank: start over from what it holds
      } else {
        const n = await readAt(fh, buf, pos);
        end = settled(buf, n);
        if (end === 0 && n === buf.length && buf.indexOf(0) < 0 && buf.length < MAX_LINE) {
          // A line longer than the buffer (a process record with a large environment).
          buf = Buffer.concat([buf, Buffer.alloc(buf.length)]);
          continue;
        }
        if (end === 0) {
          if (stall.at !== pos) Object.assign(stall, { at: pos, since: Date.now() });
          else if (Date.now() - stall.since >= ctl.holeMs) {
            stall.since = Date.now(); // look again after another holeMs
            const hole = await holeEnd(fh, buf, n, pos);
            if (hole > 0) skipTo = pos + hole;
          }
          if (skipTo <= pos) await ctl.wait();
          continue;
        }
      }
      if (end === 0) continue;
      // A chunk lies wholly before or after the acknowledged offset (a line end).
      if (pos < st.acked && pos + end > st.acked) end = st.acked - pos;
      st.replaying = pos + end <= st.acked;
      yield buf.subarray(0, end);
      pos += end;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Reads up to `limit` bytes at `pos` into `buf`. With `probe`, a small read first, and no more
 * when it starts with a zero byte (nothing settled there), so an idle zero tail costs little.
 */
async function readAt(fh: FileHandle, buf: Buffer, pos: number, limit = buf.length, probe = true): Promise<number> {
  let n = (await fh.read(buf, 0, Math.min(PROBE, limit), pos)).bytesRead;
  if (probe && (n === 0 || buf[0] === 0)) return n;
  while (n < limit) {
    const r = (await fh.read(buf, n, limit - n, pos + n)).bytesRead;
    if (r === 0) break;
    n += r;
  }
  return n;
}

/** Bytes of whole lines before the first zero byte. */
function settled(buf: Buffer, n: number): number {
  const zero = buf.subarray(0, n).indexOf(0);
  const upTo = zero < 0 ? n : zero;
  // NOTE: lastIndexOf with a negative start counts from the buffer's end: nothing to search.
  return upTo === 0 ? 0 : buf.lastIndexOf(10, upTo - 1) + 1;
}

/**
 * When the unsettled bytes at `pos` are a cut line and/or a run of zeros with a record after
 * it: the offset (from pos) of that record; else 0 (the zeros run to the end: nothing yet).
 */
async function holeEnd(fh: FileHandle, buf: Buffer, n: number, pos: number): Promise<number> {
  const zero = buf.subarray(0, n).indexOf(0);
  if (zero < 0) return 0;
  const probe = Buffer.allocUnsafe(PROBE);
  for (let at = pos + zero; ; ) {
    const r = (await fh.read(probe, 0, PROBE, at)).bytesRead;
    if (r === 0) return 0;
    for (let i = 0; i < r; i++) if (probe[i] !== 0) return at + i - pos;
    at += r;
  }
}
