// The process record's "where" (docs/FORMATS.md section 2), read from a file: its string
// fields pass, anything else in a hostile or damaged file does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLine, type ProcessRecord } from '../../server/src/runs/records';

const head = '{"t":"P","v":1,"pid":7,"ppid":1,"parent":0,"run":"r","argv":["app"],"cwd":"/","go":"go1.26.8","os":"linux","arch":"amd64","wall":1,"mono":1,"depth":16';
const where = (json: string): ProcessRecord['where'] => (parseLine(`${head},"where":${json}}`) as ProcessRecord).where;

test('where: the five string fields are kept', () => {
  const w = { host: 'api-7d9f-x2k', container: 'a'.repeat(64), pod: 'api-7d9f-x2k', namespace: 'shop', service: 'example.com/shop' };
  assert.deepEqual(where(JSON.stringify(w)), w);
  assert.deepEqual(where('{"service":"checkout"}'), { service: 'checkout' });
});

test('where: other types, empty strings, unknown fields and non-objects are dropped', () => {
  assert.deepEqual(where('{"host":7,"pod":{"x":1},"namespace":"","service":"s","extra":"e"}'), { service: 's' });
  for (const bad of ['null', '"host"', '[]', '{}', '{"host":null}']) assert.equal(where(bad), undefined, bad);
  assert.equal((parseLine(head + '}') as ProcessRecord).where, undefined, 'files of earlier recorders');
});
