import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { TextSpool } from '../../server/src/runs/spool';

const spoolDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('envtrace-spool-')).sort();

const PARTS = ['{"a":"é', 'ü€"}', ',\n  ', '{"k":"日本語 ✓"}', 'x'.repeat(100), '🙂'];

test('a spool over its memory limit goes on in a temporary file, replays every character in order, as text or bytes, and leaves nothing behind', async () => {
  for (const bytes of [false, true]) {
    const before = spoolDirs();
    const spool = new TextSpool(10);
    for (const p of PARTS) await spool.write(p);
    // The file is unlinked as soon as it is open (not on Windows): nothing to leave behind.
    if (process.platform !== 'win32') assert.deepEqual(spoolDirs(), before, 'no file left to leave behind');
    let text = '';
    const pieces: Buffer[] = [];
    await spool.replay(bytes ? { write: () => assert.fail('bytes go as bytes'), writeBytes: (b) => void pieces.push(Buffer.from(b)) } : { write: (t) => void (text += t) });
    assert.equal(bytes ? Buffer.concat(pieces).toString('utf8') : text, PARTS.join(''));
    assert.deepEqual(spoolDirs(), before, 'the file is gone');
  }
});

test('a spool within its limit stays in memory; drop forgets it', async () => {
  const before = spoolDirs();
  const spool = new TextSpool(1 << 20);
  await spool.write('abc');
  assert.deepEqual(spoolDirs(), before);
  await spool.drop();
  let text = '';
  await spool.replay({ write: (t) => void (text += t) });
  assert.equal(text, '');
});
