import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { JsonObjectStream } from '../../server/src/analysis/jsonStream';
import { fixtureRun } from './mergeSupport';

/** Feeds `text` in chunks of `size` and returns the fields and streamed elements seen. */
function read(text: string, size: number): { fields: Record<string, unknown>; events: unknown[]; complete: boolean } {
  const fields: Record<string, unknown> = {};
  const events: unknown[] = [];
  const s = new JsonObjectStream({ field: (k, v) => (fields[k] = v), element: (_k, raw) => events.push(JSON.parse(raw)) }, new Set(['events']));
  for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
  return { fields, events, complete: s.complete };
}

test('the report stream gives the same fields and events as JSON.parse, whatever the chunk boundaries', () => {
  const tricky = JSON.stringify({
    version: 1,
    'we"ird': 'a}b]c,d\\"e',
    events: [{ key: 'K', value: '[{"x": 1}]\n\u2028' }, { n: -1.5e3, t: true, f: false, z: null }, 'str,]', 12],
    vars: [],
    last: 0,
  });
  for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
    const r = read(tricky, size);
    const whole = JSON.parse(tricky) as Record<string, unknown>;
    assert.deepEqual(r.events, whole.events, `chunks of ${size}`);
    assert.deepEqual(r.fields, { version: 1, 'we"ird': 'a}b]c,d\\"e', vars: [], last: 0 });
    assert.equal(r.complete, true);
  }
  const report = readFileSync(fixtureRun('helper.json'), 'utf8');
  const r = read(report, 4096);
  assert.deepEqual(r.events, (JSON.parse(report) as { events: unknown[] }).events);
});

test('a cut report is incomplete, and a non-object is refused with a SyntaxError', () => {
  const r = read('{"version": 1, "events": [{"a": 1}, {"b"', 5);
  assert.equal(r.complete, false);
  assert.deepEqual(r.events, [{ a: 1 }]);
  assert.throws(() => read('[1, 2]', 10), SyntaxError);
  assert.throws(() => read('{"a" 1}', 10), SyntaxError);
});
