import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineText } from '../../server/src/runs/frames';
import { escapeControls, traceLineText } from '../../server/src/runs/text';

test('control characters are written as JSON escapes; printable text, backslashes and quotes stay as they are', () => {
  assert.equal(escapeControls('a\x1b]0;title\x07b'), 'a\\u001b]0;title\\u0007b');
  assert.equal(escapeControls('x\x1b[2J\ny\tz\r'), 'x\\u001b[2J\\ny\\tz\\r');
  // C1 CSI (some terminals act on it), DEL, line separators, bidirectional overrides.
  assert.equal(escapeControls('\u009b31m\x7f\u2028\u202e\u2066'), '\\u009b31m\\u007f\\u2028\\u202e\\u2066');
  assert.equal(escapeControls('C:\\dir\\"q" é 😀'), 'C:\\dir\\"q" é 😀');
});

test('a trace line keeps a newline of a path inside its line and shows an impossible line as invalid', () => {
  const base = { op: 'getenv' as const, api: 'os.Getenv', key: 'K', found: true, value: 'v', count: 1, first: 0 };
  assert.equal(traceLineText({ ...base, file: '/w/a\nb.go', line: 3 }, '/w'), '[GETENV] a\\nb.go:3 → os.Getenv("K") → value="v" (×1)');
  for (const bad of [0, -1, 1.5, 2 ** 20, 1e12]) {
    assert.equal(traceLineText({ ...base, file: '/w/a.go', line: bad }, '/w'), '[GETENV] a.go:(invalid line) → os.Getenv("K") → value="v" (×1)', String(bad));
  }
  assert.equal(lineText(2 ** 20 - 1), String(2 ** 20 - 1));
  assert.equal(lineText(null), '?');
  assert.equal(traceLineText({ ...base, op: 'setenv', api: 'os.Setenv', found: false, value: 'x', file: '/w/a.go', line: 9 }, '/w'), '[SETENV] a.go:9 → os.Setenv("K", …) → failed (value="x") (×1)');
});
