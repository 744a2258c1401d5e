import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultSettings, parseSettings } from '../../server/src/workspace/settings';
import { repoRoot } from './lspClient';

/** The `envtrace.*` settings the server reads, by package.json name. */
const serverSettings: Record<string, keyof typeof defaultSettings> = {
  'envtrace.codeLens.enabled': 'codeLensEnable',
  'envtrace.inlayHints.enabled': 'inlayHintsEnabled',
  'envtrace.check.enabled': 'checkEnabled',
  'envtrace.runs.show': 'runsShow',
  'envtrace.runs.directory': 'runsDirectory',
};

test('every setting the server reads is declared in package.json with the same default', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const declared = manifest.contributes.configuration.properties as Record<string, { default: unknown; scope?: string }>;
  assert.deepEqual(Object.values(serverSettings).sort(), Object.keys(defaultSettings).sort());
  for (const [name, field] of Object.entries(serverSettings)) {
    assert.ok(declared[name], `${name} is not declared in package.json`);
    assert.deepEqual(declared[name].default, defaultSettings[field], name);
    assert.equal(declared[name].scope, 'resource', `${name} is read per resource`);
  }
});

test('settings the client sends are read with defaults for missing or mistyped values', () => {
  assert.deepEqual(parseSettings({ codeLens: { enabled: false } }), { ...defaultSettings, codeLensEnable: false });
  assert.deepEqual(parseSettings({ inlayHints: { enabled: false }, runs: { show: 3, directory: ' ci ' } }), {
    ...defaultSettings,
    inlayHintsEnabled: false,
    runsShow: 3,
    runsDirectory: 'ci',
  });
  assert.equal(parseSettings({ runs: { show: 'all' } }).runsShow, 'all');
  assert.equal(parseSettings({ runs: { show: '2' } }).runsShow, 2);
  assert.equal(parseSettings({ runs: { show: -1 } }).runsShow, 'latest');
  assert.deepEqual(parseSettings({ codeLens: { enabled: 'no' } }), defaultSettings);
  assert.deepEqual(parseSettings({ check: { enabled: false } }), { ...defaultSettings, checkEnabled: false });
  assert.deepEqual(parseSettings({ check: { enabled: 'off' } }), defaultSettings);
  assert.deepEqual(parseSettings(null), defaultSettings);
  assert.deepEqual(parseSettings([1, 2]), defaultSettings);
});
