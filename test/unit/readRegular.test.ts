import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRegular, readRegularSync, UnreadableFile } from '../../server/src/files/readRegular';

/** A workspace with a file, links inside and out, a FIFO and a device link; removed after `body`. */
async function layout(body: (ws: string, outside: string) => Promise<void>): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'envtrace-readregular-'));
  const ws = join(base, 'ws');
  const outside = join(base, 'outside');
  mkdirSync(join(ws, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(ws, 'sub', 'a.go'), 'package a\n');
  writeFileSync(join(outside, 'secret.go'), 'package secret\n');
  symlinkSync(join(ws, 'sub', 'a.go'), join(ws, 'inside-link.go'));
  symlinkSync(join(outside, 'secret.go'), join(ws, 'outside-link.go'));
  symlinkSync(outside, join(ws, 'outdir'));
  symlinkSync('/dev/zero', join(ws, 'zero.go'));
  execFileSync('mkfifo', [join(ws, 'fifo.go')]);
  try {
    await body(ws, outside);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

const refused = (reason: RegExp) => (e: unknown) => e instanceof UnreadableFile && reason.test(e.reason);

test('a regular file and a symlink that stays inside the workspace are read, sync and async', () =>
  layout(async (ws) => {
    for (const p of [join(ws, 'sub', 'a.go'), join(ws, 'inside-link.go')]) {
      assert.equal((await readRegular(p, { within: ws })).toString(), 'package a\n');
      assert.equal(readRegularSync(p, { within: ws }).toString(), 'package a\n');
    }
  }));

test('symlinks out of the workspace (to a file, through a directory, to a device) are refused unless no root is given', () =>
  layout(async (ws, outside) => {
    for (const p of [join(ws, 'outside-link.go'), join(ws, 'outdir', 'secret.go')]) {
      await assert.rejects(readRegular(p, { within: ws }), refused(/^a symlink to .*secret\.go, outside .* \(not followed\)$/));
      assert.throws(() => readRegularSync(p, { within: ws }), refused(/outside/));
      assert.equal((await readRegular(p)).toString(), 'package secret\n', 'the user named the file: followed');
    }
    await assert.rejects(readRegular(join(ws, 'zero.go'), { within: ws }), refused(/^a symlink to \/dev\/zero, outside /));
    await assert.rejects(readRegular(join(ws, 'zero.go')), refused(/^not a regular file \(a character device\)$/), 'even when named: no device is read');
    assert.ok(outside);
  }));

test('a walked path (scan/walk.ts) is opened as given; a symlink there is still resolved and checked', () =>
  layout(async (ws) => {
    const walked = { within: ws, walked: true };
    for (const p of [join(ws, 'sub', 'a.go'), join(ws, 'inside-link.go')]) assert.equal(readRegularSync(p, walked).toString(), 'package a\n');
    assert.throws(() => readRegularSync(join(ws, 'outside-link.go'), walked), refused(/^a symlink to .*secret\.go, outside /));
    assert.throws(() => readRegularSync(join(ws, 'zero.go'), walked), refused(/^a symlink to \/dev\/zero, outside /));
    assert.throws(() => readRegularSync(join(ws, 'fifo.go'), walked), refused(/^not a regular file \(a FIFO\)$/));
  }));

test('a FIFO is refused at once (the open does not wait for a writer), a directory too', () =>
  layout(async (ws) => {
    await assert.rejects(readRegular(join(ws, 'fifo.go'), { within: ws }), refused(/^not a regular file \(a FIFO\)$/));
    assert.throws(() => readRegularSync(join(ws, 'fifo.go')), refused(/a FIFO/));
    await assert.rejects(readRegular(join(ws, 'sub')), refused(/a directory/));
  }));

test('a file over the cap is refused with its size; a missing file keeps its own error code', () =>
  layout(async (ws) => {
    writeFileSync(join(ws, 'big.go'), Buffer.alloc(3 << 20, 0x61));
    await assert.rejects(readRegular(join(ws, 'big.go'), { maxBytes: 1 << 20 }), refused(/^larger than 1 MB \(3 MB\), skipped$/));
    assert.equal(readRegularSync(join(ws, 'big.go'), { maxBytes: 4 << 20 }).length, 3 << 20);
    await assert.rejects(readRegular(join(ws, 'missing.go'), { within: ws }), (e) => (e as NodeJS.ErrnoException).code === 'ENOENT');
  }));
