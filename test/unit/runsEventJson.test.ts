import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonStrings, reportEventJson } from '../../server/src/runs/eventJson';
import { reportEvent } from '../../server/src/runs/load';
import type { RunEvent } from '../../server/src/runs/reader';

const base: RunEvent = {
  weight: 1,
  pid: 7, seq: 1, goroutine: 3, parentGoroutine: 1, op: 'getenv', key: 'PORT', found: true, value: '8080', redacted: false, hash: undefined, length: undefined,
  error: undefined, t0: 10, t1: 12, time: 1700000000000.0009, api: 'os.Getenv', stack: '4', user: { function: 'main.main', file: '/app/main.go', line: 12 },
  writeGen: 0, writeInFlight: false, test: undefined, path: undefined, argv: undefined, childPid: undefined,
};

test('reportEventJson writes exactly what JSON.stringify(reportEvent(e)) writes', () => {
  const variants: RunEvent[] = [
    base,
    { ...base, value: 'quote " backslash \\ newline \n tab \t ünï 𝄞 \u0001', key: 'K"\u2028' },
    { ...base, found: false, value: undefined, user: null, stack: null, time: NaN },
    { ...base, redacted: true, value: undefined, hash: '3f9a0c1d2e4b5a69', length: 24, test: 'TestX/sub' },
    { ...base, redacted: true, value: 'hidden', hash: undefined, length: undefined },
    { ...base, op: 'spawn', key: undefined, value: undefined, api: 'os/exec.Cmd.Start', path: '/bin/sh', argv: ['sh', '-c', 'echo "x"'], childPid: 99, error: 'fork failed', seq: -0 },
    { ...base, op: 'environ', key: undefined, value: undefined, time: 1e21, parentGoroutine: 0 },
  ];
  const js = new JsonStrings();
  for (const e of variants) {
    assert.equal(reportEventJson(e, js), JSON.stringify(reportEvent(e)));
    assert.equal(reportEventJson(e, js), JSON.stringify(reportEvent(e)), 'again, from the cache');
  }
});
