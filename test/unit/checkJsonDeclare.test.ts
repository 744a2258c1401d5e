// Declaring a key in envtrace.json text (the quick fix's edit): one insertion, the rest kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declareInConfig, newConfigText, SCHEMA_URL } from '../../server/src/features/jsonDeclare';

const declare = (text: string) => {
  const ins = declareInConfig(text, 'NEW_KEY', { description: 'read in main.go:3' });
  return ins && text.slice(0, ins.offset) + ins.text + text.slice(ins.offset);
};

test('the key joins an existing "declared" section at its indentation', () => {
  assert.equal(
    declare('{\n    "rules": {},\n    "declared": {\n        "A": { "required": true }\n    }\n}\n'),
    '{\n    "rules": {},\n    "declared": {\n        "NEW_KEY": { "description": "read in main.go:3" },\n        "A": { "required": true }\n    }\n}\n',
  );
  assert.equal(declare('{\n\t"declared": {}\n}'), '{\n\t"declared": {\n\t\t"NEW_KEY": { "description": "read in main.go:3" }\n\t}\n}');
});

test('a "declared" section is added when there is none; nested "declared" names are not taken for it', () => {
  assert.equal(declare('{}'), '{\n  "declared": {\n    "NEW_KEY": { "description": "read in main.go:3" }\n  }\n}');
  const text = '{\n  "rules": { "declared-unused": "off" },\n  "allow": { "envWrites": ["declared"] }\n}\n';
  const out = declare(text)!;
  assert.deepEqual(JSON.parse(out), { ...JSON.parse(text), declared: { NEW_KEY: { description: 'read in main.go:3' } } });
  assert.ok(out.endsWith(text.slice(1)), 'the rest is kept');
});

test('no edit for text that is not a JSON object, a declared key, or a non-object "declared"', () => {
  for (const t of ['', '[]', '{ "declared": [] }', '{ "declared": { "NEW_KEY": {} } }', '{ "a": 1', 'null']) assert.equal(declare(t), null, t);
  // Strings with braces and escaped quotes do not confuse the scan.
  const tricky = '{ "x": "{\\"declared\\": {", "declared": { "B": {} } }';
  assert.deepEqual(JSON.parse(declare(tricky)!).declared, { NEW_KEY: { description: 'read in main.go:3' }, B: {} });
});

test('a new envtrace.json points $schema at the schema', () => {
  assert.deepEqual(JSON.parse(newConfigText('K', { secret: true })), { $schema: SCHEMA_URL, declared: { K: { secret: true } } });
});
