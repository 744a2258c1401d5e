import assert from 'node:assert/strict';
import { test } from 'node:test';
import { usedBare } from '../../server/src/scan/bareName';

/** The regex usedBare stands for. */
function reference(text: string, name: string): boolean {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}_.])${esc}(?![\\p{L}\\p{N}_])(?!\\s*\\.)`, 'u').test(text);
}

test('usedBare agrees with its regex on Go-like text, Unicode letters and odd spaces included', () => {
  const names = ['os', 'x', 'é', '𝑥', 'cfg', 'a_b', 'v'];
  const pieces = ['os', 'x', 'é', '𝑥', '.', ' ', '\t', '\n', '\u00a0', '\u2028', '\v', '(', 'y', '_', '1', '٣', '\ud835', '\udc65', 'cfg', 'a_b', 'v', ':=', '\ufeff'];
  let seed = 7;
  const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % k);
  for (let it = 0; it < 20_000; it++) {
    let text = '';
    for (let k = 1 + rnd(8); k > 0; k--) text += pieces[rnd(pieces.length)];
    const name = names[rnd(names.length)];
    assert.equal(usedBare(text, name), reference(text, name), `${JSON.stringify(text)} / ${name}`);
  }
  assert.equal(usedBare('x := os.Getenv("A")\n\tos .Exit(1)', 'os'), false);
  assert.equal(usedBare('os := 1; os.Exit(os)', 'os'), true);
});
