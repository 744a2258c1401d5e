/**
 * The workspace key `.envtrace/key`: hex text, the key of the recorder's keyed hash (SipHash,
 * 128 bits) of redacted values, so runs of one workspace can be compared without storing
 * secrets. An existing key is checked before use (a cloned repository could commit a known
 * or empty key, or a symlink to another file); a new one is created atomically, so every
 * envtrace started at the same time ends up with the same key.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { checkOwner, failure, linkNewFile, UnsafeWriteError } from '../files/writeSafe';

/** Hex digits a key must have at least: 128 bits, what the recorder's SipHash uses. */
export const KEY_MIN_HEX = 32;
const KEY_MAX_BYTES = 4096;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** The key of the store at `root` (which must exist), created on first use. Throws UnsafeWriteError on a key it will not use. */
export async function loadOrCreateKey(root: string): Promise<string> {
  const file = join(root, 'key');
  const existing = await readKey(file);
  if (existing !== null) return existing;
  const fresh = randomBytes(KEY_MIN_HEX / 2).toString('hex');
  if (await linkNewFile(file, fresh + '\n', 0o600)) return fresh;
  // Another envtrace created it first: use the winner's key.
  const winner = await readKey(file);
  if (winner === null) throw new UnsafeWriteError(`${file} vanished while envtrace created it: run again`);
  return winner;
}

/** Reads and checks the key file; null when there is none. */
export async function readKey(file: string): Promise<string | null> {
  const fix = `remove it (envtrace then makes a new one; hashes of earlier runs stop matching)`;
  let h;
  try {
    // NONBLOCK: a FIFO planted there must not hang the open; it is refused below.
    h = await open(file, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw failure(e, file, 'read the key');
  }
  try {
    const st = await h.stat();
    if (!st.isFile()) throw new UnsafeWriteError(`${file} is not a regular file: ${fix}`);
    checkOwner(st, file, 'the key');
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      throw new UnsafeWriteError(`${file} is open to other users (mode ${(st.mode & 0o777).toString(8)}): run chmod 600 ${file}, or ${fix}`);
    }
    if (st.size > KEY_MAX_BYTES) throw new UnsafeWriteError(`${file} is not an envtrace key (${st.size} bytes): ${fix}`);
    const text = (await h.readFile('utf8')).trim();
    const problem = keyProblem(text);
    if (problem) throw new UnsafeWriteError(`${file} ${problem}: ${fix}`);
    return text.toLowerCase();
  } catch (e) {
    throw failure(e, file, 'read the key');
  } finally {
    await h.close();
  }
}

/** Why `text` is not a usable key, or null: not hex, shorter than 128 bits, or guessable (few distinct digits, a repeated pattern). */
export function keyProblem(text: string): string | null {
  if (!/^[0-9a-f]*$/i.test(text)) return 'is not an envtrace key (not hex)';
  if (text.length < KEY_MIN_HEX) return `is too short (${text.length} hex digits, at least ${KEY_MIN_HEX} needed)`;
  const used = text.slice(0, KEY_MIN_HEX).toLowerCase();
  // A random 32-digit key has fewer than 8 distinct digits with probability ~1e-7.
  if (new Set(used).size < 8) return 'is not random (too few distinct digits)';
  for (let p = 1; p <= used.length / 2; p++) {
    if (used.slice(p) === used.slice(0, used.length - p)) return 'is not random (a repeated pattern)';
  }
  return null;
}
