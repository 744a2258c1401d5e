// schemas/envtrace.schema.json (for editors validating envtrace.json) agrees with the parser in
// server/src/check/config.ts: same rules, levels and race levels, and the same verdicts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { CheckInputError, parseConfig, RACE_LEVELS } from '../../server/src/check/config';
import { LEVELS, RULES } from '../../server/src/check/rules';

const repo = join(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(join(repo, 'schemas', 'envtrace.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

test('the config schema lists every rule, level and race level the parser knows', () => {
  const rules = schema.properties.rules.properties as Record<string, { enum: string[] }>;
  assert.deepEqual(Object.keys(rules), RULES.map((r) => r.id));
  for (const r of Object.values(rules)) assert.deepEqual(r.enum, LEVELS);
  assert.deepEqual(schema.properties.raceLevel.enum, RACE_LEVELS);
});

test('the schema and the parser accept and reject the same configs', () => {
  const good = [
    readFileSync(join(repo, 'test', 'fixtures', 'check', 'breaks', 'envtrace.json'), 'utf8'),
    readFileSync(join(repo, 'test', 'fixtures', 'check', 'follows', 'envtrace.json'), 'utf8'),
    '{"$schema": "./schemas/envtrace.schema.json", "raceLevel": "possible", "rules": {"race": "off"}}',
    readFileSync(join(repo, 'test', 'fixtures', 'check', 'secrets', 'envtrace.json'), 'utf8'),
    readFileSync(join(repo, 'test', 'fixtures', 'check', 'reads', 'envtrace.json'), 'utf8'),
    '{"secretPolicy": {"minLength": 0, "minEntropyBits": 80}}',
    readFileSync(join(repo, 'test', 'fixtures', 'check', 'drift', 'envtrace.json'), 'utf8'),
  ];
  const bad = [
    '{"rules": {"no-such-rule": "error"}}',
    '{"rules": {"race": "fatal"}}',
    '{"declared": {"K": {"required": "yes"}}}',
    '{"declared": {"K": {"owner": "me"}}}',
    '{"allow": {"envWrites": "internal"}}',
    '{"allow": {"reads": []}}',
    '{"raceLevel": "sometimes"}',
    '{"secretPolicy": {"minLength": -1}}',
    '{"secretPolicy": {"minLength": 1.5}}',
    '{"secretPolicy": {"entropy": 3}}',
    '{"allow": {"envReads": [1]}}',
    '{"agree": "PORT"}',
    '{"agree": [""]}',
    '{"rule": {}}',
    '[]',
  ];
  for (const text of good) {
    assert.ok(validate(JSON.parse(text)), `${text}: ${JSON.stringify(validate.errors)}`);
    assert.doesNotThrow(() => parseConfig(text, 'envtrace.json'), text);
  }
  for (const text of bad) {
    assert.equal(validate(JSON.parse(text)), false, text);
    assert.throws(() => parseConfig(text, 'envtrace.json'), CheckInputError, text);
  }
});
