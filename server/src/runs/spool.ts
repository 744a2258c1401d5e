/**
 * Text held back while a report is read in one pass (its events come before parts that need
 * the whole run): kept in memory up to a limit, then in a temporary file (0600, in a fresh
 * 0700 directory, removed when replayed or dropped), so memory does not grow with the run.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes kept in memory before the rest goes to a temporary file. */
const MEMORY_LIMIT = 32 << 20;

export class TextSpool {
  // NOTE: UTF-8 bytes, not the strings: a string built by `+=` is a rope several times its size.
  private chunks: Buffer[] = [];
  private held = 0;
  private file: { dir: string; path: string; handle: FileHandle | null } | null = null;

  constructor(private readonly limit = MEMORY_LIMIT) {}

  /** Appends text. */
  async write(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    if (!this.file && this.held + bytes.length <= this.limit) {
      this.chunks.push(bytes);
      this.held += bytes.length;
      return;
    }
    if (!this.file) {
      const dir = await mkdtemp(join(tmpdir(), 'envtrace-spool-'));
      const path = join(dir, 'events.json');
      this.file = { dir, path, handle: await open(path, 'wx', 0o600) };
      const held = this.chunks;
      this.chunks = [];
      this.held = 0;
      for (const c of held) await this.file.handle!.write(c);
    }
    await this.file.handle!.write(bytes);
  }

  /** Hands everything written, in order, to `write`, then drops it. */
  async replay(write: (text: string) => Promise<void> | void): Promise<void> {
    try {
      for (const c of this.chunks) await write(c.toString('utf8')); // whole strings: no character is cut
      const file = this.file;
      if (file) {
        await file.handle?.close();
        file.handle = null;
        // Read as UTF-8 text: a character cut by a chunk boundary is joined again.
        for await (const text of createReadStream(file.path, { encoding: 'utf8', highWaterMark: 1 << 20 })) await write(text as string);
      }
    } finally {
      await this.drop();
    }
  }

  /** Removes what is held (the temporary file too). */
  async drop(): Promise<void> {
    this.chunks = [];
    this.held = 0;
    if (!this.file) return;
    const { dir, handle } = this.file;
    this.file = null;
    await handle?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
