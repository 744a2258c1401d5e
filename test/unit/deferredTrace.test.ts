/** The text trace's placing of deferred calls: moved to the defer line, merged when they meet there, else kept. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { placeDeferredLines } from '../../server/src/analysis/deferredTrace';
import type { TraceLine } from '../../server/src/runs/aggregate';
import type { Site } from '../../server/src/scan/types';

const FILE = '/work/app/main.go';

function site(line: number, kind: Site['kind'], key: string | null, deferred?: number[]): Site {
  return { file: 'main.go', line, column: 8, endLine: line, endColumn: 30, kind, key, pattern: null, api: 'os.Unsetenv', default: null, function: 'main.f', test: false, ...(deferred ? { deferred } : {}) };
}

function traced(line: number, key: string, first: number, op: TraceLine['op'] = 'unsetenv'): TraceLine {
  return { op, api: op === 'unsetenv' ? 'os.Unsetenv' : 'os.Getenv', key, file: FILE, line, found: true, count: 2, first };
}

test('events at two exits of one deferred call become one line at the defer, counts added, first order kept', () => {
  const sites = [site(5, 'unset', 'K', [7, 9]), site(6, 'read', 'K')];
  const out = placeDeferredLines([traced(6, 'K', 0, 'getenv'), traced(7, 'K', 1), traced(9, 'K', 2)], (f) => (f === FILE ? sites : undefined));
  assert.deepEqual(
    out.map((l) => [l.op, l.line, l.count, l.first]),
    [
      ['getenv', 6, 2, 0],
      ['unsetenv', 5, 4, 1],
    ],
  );
});

test('a line stays where recorded when the op or key does not fit, two sites could explain it, or its file was not scanned', () => {
  const sites = [site(5, 'unset', 'K', [9]), site(6, 'unset', null, [9]), site(7, 'write', 'J', [10])];
  const lines = [traced(9, 'K', 0), traced(10, 'J', 1), traced(10, 'J', 2, 'getenv')];
  assert.deepEqual(
    placeDeferredLines(lines, () => sites).map((l) => l.line),
    [9, 10, 10],
  );
  assert.deepEqual(
    placeDeferredLines([traced(9, 'K', 0)], () => undefined).map((l) => l.line),
    [9],
  );
});

test("the Go runtime's own reads stay last, as the trace orders them", () => {
  const sites = [site(5, 'unset', 'K', [7])];
  const runtimeRead: TraceLine = { op: 'getenv', api: 'runtime', key: 'GODEBUG', file: null, line: null, found: false, count: 1, first: 0 };
  const out = placeDeferredLines([traced(7, 'K', 1), runtimeRead], (f) => (f === FILE ? sites : undefined));
  assert.deepEqual(out.map((l) => [l.api, l.line]), [['os.Unsetenv', 5], ['runtime', null]]);
});
