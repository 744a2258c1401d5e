import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventBytes } from '../../server/src/runs/eventBytes';
import { reportEvent } from '../../server/src/runs/load';
import type { RunEvent } from '../../server/src/runs/reader';

const base: RunEvent = {
  weight: 1,
  pid: 7, seq: 1, goroutine: 3, parentGoroutine: 1, op: 'getenv', key: 'PORT', found: true, value: '8080', redacted: false, hash: undefined, length: undefined,
  error: undefined, t0: 10, t1: 12, time: 1700000000000.0009, api: 'os.Getenv', stack: '4', user: { function: 'main.main', file: '/app/main.go', line: 12 },
  writeGen: 0, writeInFlight: false, test: undefined, path: undefined, argv: undefined, childPid: undefined,
};

test('EventBytes writes exactly the bytes of JSON.stringify(reportEvent(e))', () => {
  const variants: RunEvent[] = [
    base,
    { ...base, value: 'quote " backslash \\ newline \n tab \t ünï 𝄞 \u0001 lone \ud800', key: 'K"\u2028' },
    { ...base, found: false, value: undefined, user: null, stack: null, time: NaN },
    { ...base, redacted: true, value: undefined, hash: '3f9a0c1d2e4b5a69', length: 24, test: 'TestX/sub' },
    { ...base, redacted: true, value: 'hidden', hash: undefined, length: undefined },
    { ...base, op: 'spawn', key: undefined, value: undefined, api: 'os/exec.Cmd.Start', path: '/bin/sh', argv: ['sh', '-c', 'echo "x"'], childPid: 99, error: 'fork failed', seq: -0 },
    { ...base, op: 'environ', key: undefined, value: undefined, time: 1e21, parentGoroutine: 0 },
    // Integers at the edges of the digit-by-digit path, negative, fractional, huge; a weight.
    { ...base, seq: 999_999_999_999_999, pid: 1e15, goroutine: 10, parentGoroutine: -3, time: 0.5, weight: 12, user: { function: 'f', file: 'f.go', line: 100 } },
    { ...base, seq: 2 ** 53 + 2, pid: Number.MAX_VALUE, goroutine: 9, time: -Infinity, weight: 1e12, value: 'x'.repeat(200_000) },
  ];
  const w = new EventBytes();
  const sep = Buffer.from(',\n  ');
  let expected = '';
  for (const e of variants) {
    for (let again = 0; again < 2; again++) {
      w.event(e, sep);
      expected += ',\n  ' + JSON.stringify(reportEvent(e));
    }
  }
  assert.equal(w.size, Buffer.byteLength(expected));
  assert.ok(w.take().equals(Buffer.from(expected, 'utf8')));
  assert.equal(w.size, 0, 'take starts a fresh chunk');
});
