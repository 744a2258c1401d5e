/**
 * Text held back while a report is read in one pass (its events come before parts that need
 * the whole run): kept in memory up to a limit, then in a temporary file, so memory does not
 * grow with the run. The file (0600, in a fresh 0700 directory) is unlinked as soon as it is
 * open where the system allows it (not on Windows), so nothing is left behind however the
 * process ends (`envtrace report | head` exits on EPIPE, Ctrl-C, SIGKILL).
 */
import { mkdtemp, open, rm, unlink, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { TextSink } from './load';

/** Bytes kept in memory before the rest goes to a temporary file. */
const MEMORY_LIMIT = 32 << 20;
const READ_SIZE = 1 << 20;

export class TextSpool {
  // NOTE: UTF-8 bytes, not the strings: a string built by `+=` is a rope several times its size.
  private chunks: Buffer[] = [];
  private held = 0;
  private file: { dir: string; handle: FileHandle; size: number; unlinked: boolean } | null = null;

  constructor(private readonly limit = MEMORY_LIMIT) {}

  /** Appends text. */
  async write(text: string): Promise<void> {
    await this.writeBytes(Buffer.from(text, 'utf8'));
  }

  /** Appends UTF-8 bytes, whole characters only (kept: the caller hands the buffer over). */
  async writeBytes(bytes: Buffer): Promise<void> {
    if (!this.file && this.held + bytes.length <= this.limit) {
      this.chunks.push(bytes);
      this.held += bytes.length;
      return;
    }
    if (!this.file) {
      const dir = await mkdtemp(join(tmpdir(), 'envtrace-spool-'));
      const path = join(dir, 'events.json');
      const handle = await open(path, 'wx+', 0o600);
      const unlinked = await unlink(path).then(
        () => rm(dir, { recursive: true, force: true }).then(() => true),
        () => false,
      );
      this.file = { dir, handle, size: 0, unlinked };
      const held = this.chunks;
      this.chunks = [];
      this.held = 0;
      for (const c of held) await this.append(c);
    }
    await this.append(bytes);
  }

  private async append(b: Buffer): Promise<void> {
    const f = this.file!;
    await f.handle.write(b, 0, b.length, f.size);
    f.size += b.length;
  }

  /** Hands everything written, in order, to `to` (as bytes when it takes them), then drops it. */
  async replay(to: TextSink): Promise<void> {
    const emit = (b: Buffer, decoder: StringDecoder) => (to.writeBytes ? to.writeBytes(b) : to.write(decoder.write(b)));
    try {
      // Memory chunks are whole strings encoded: decoding one cuts no character.
      for (const c of this.chunks) await emit(c, new StringDecoder('utf8'));
      const f = this.file;
      if (!f) return;
      // A character cut by a read's boundary is joined again by the decoder.
      const decoder = new StringDecoder('utf8');
      for (let at = 0; at < f.size; ) {
        const buf = Buffer.allocUnsafe(Math.min(READ_SIZE, f.size - at));
        const { bytesRead } = await f.handle.read(buf, 0, buf.length, at);
        if (bytesRead === 0) throw new Error('the report spool file was cut short');
        at += bytesRead;
        await emit(buf.subarray(0, bytesRead), decoder);
      }
    } finally {
      await this.drop();
    }
  }

  /** Forgets what is held and removes the temporary file. */
  async drop(): Promise<void> {
    this.chunks = [];
    this.held = 0;
    const f = this.file;
    if (!f) return;
    this.file = null;
    await f.handle.close().catch(() => undefined);
    if (!f.unlinked) await rm(f.dir, { recursive: true, force: true });
  }
}
