import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { TextSpool } from '../../server/src/runs/spool';

const spoolDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('envtrace-spool-')).sort();

test('a spool over its memory limit goes on in a temporary file, replays every character in order and removes the file', async () => {
  const before = spoolDirs();
  const spool = new TextSpool(10);
  const parts = ['{"a":"é', 'ü€"}', ',\n  ', '{"k":"日本語 ✓"}', 'x'.repeat(100), '🙂'];
  for (const p of parts) await spool.write(p);
  assert.equal(spoolDirs().length, before.length + 1, 'the rest went to a file');
  let text = '';
  await spool.replay((t) => void (text += t));
  assert.equal(text, parts.join(''));
  assert.deepEqual(spoolDirs(), before, 'the file is gone');
});

test('a spool within its limit stays in memory; drop forgets it', async () => {
  const before = spoolDirs();
  const spool = new TextSpool(1 << 20);
  await spool.write('abc');
  assert.deepEqual(spoolDirs(), before);
  await spool.drop();
  let text = '';
  await spool.replay((t) => void (text += t));
  assert.equal(text, '');
});
