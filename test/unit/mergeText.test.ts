import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findings, inlayText, lensText, quoteValue } from '../../server/src/analysis/runtimeText';
import { appRoot, at, loadFixtures, observe } from './mergeSupport';

const HELPER = 'cmd/helper/main.go';

test('lens texts: value with reads and processes, unset with default, redacted, not reached, race', async () => {
  const list = await observe(await loadFixtures('helper'), HELPER);
  assert.equal(lensText(at(list, 22, 'PORT')), 'PORT = "9090" · 3 reads · 1 process');
  assert.equal(lensText(at(list, 20, 'REGION')), 'REGION unset → default "eu-west-1"');
  assert.equal(lensText(at(list, 30, 'DB_PASSWORD')), 'DB_PASSWORD = ••• (14 chars) · 1 read · 1 process');
  assert.equal(lensText(at(list, 32, null)), 'FEATURE_1 = "on" · 1 read · 1 process');
  const both = await observe(await loadFixtures('helper', 'helper-b'), HELPER);
  assert.equal(lensText(at(both, 19, 'PORT'), 2), 'PORT = "9090" (+1 other value) · 2 reads · 2 processes');
  const b = await observe(await loadFixtures('helper-b'), HELPER);
  assert.equal(lensText(at(b, 28, 'DEBUG_LEVEL')), 'DEBUG_LEVEL not reached in the shown run');

  const racy = await observe(await loadFixtures('racy'), 'cmd/racy/main.go');
  assert.match(lensText(at(racy, 25, 'APP_STAGE')), /^⚠ (definite|likely|possible) race · APP_STAGE = "[^"]+"( \(\+\d+ other values?\))? · 200 reads · 1 process$/);
  assert.match(lensText(at(racy, 15, 'APP_STAGE')), /^⚠ (definite|likely|possible) race · APP_STAGE ← /);
});

test('inlay hints: value, unset, redacted; values are quoted and cut', async () => {
  const list = await observe(await loadFixtures('helper'), HELPER);
  assert.equal(inlayText(at(list, 19, 'PORT')), '= "9090"');
  assert.equal(inlayText(at(list, 20, 'REGION')), '= "eu-west-1" (default)');
  assert.equal(inlayText(at(list, 28, 'DEBUG_LEVEL')), '= unset');
  assert.equal(inlayText(at(list, 30, 'DB_PASSWORD')), '= •••');
  assert.equal(quoteValue('a\nb[x](command:evil)', 8), '"a\\nb[x](…"');
  const b = await observe(await loadFixtures('helper-b'), HELPER);
  assert.equal(inlayText(at(b, 28, 'DEBUG_LEVEL')), null);
});

test('findings: unset without default, race with the writing side related, keys of a dynamic site', async () => {
  const list = await observe(await loadFixtures('helper'), HELPER);
  assert.deepEqual(findings(at(list, 20, 'REGION'), appRoot), [], 'REGION has a default');
  const level = findings(at(list, 28, 'DEBUG_LEVEL'), appRoot);
  assert.deepEqual(level.map((f) => [f.code, f.severity]), [['envtrace.unset', 'information']]);
  const ops = await observe(await loadFixtures('ops'), 'cmd/ops/main.go');
  assert.deepEqual(findings(at(ops, 15, 'OPS_LEVEL'), appRoot), [], 'syscall.Getenv reports absence to the code');
  assert.deepEqual(findings(at(ops, 17, null), appRoot).map((f) => f.code), ['envtrace.unset', 'envtrace.keys'], 'FEATURE_b was unset; the pattern site lists its keys');
  const dyn = findings(at(list, 12, null), appRoot);
  assert.deepEqual(dyn.map((f) => [f.code, f.severity, f.message]), [['envtrace.keys', 'hint', 'observed keys: PORT (×4), REGION (×1)']]);
  const racy = findings(at(await observe(await loadFixtures('racy'), 'cmd/racy/main.go'), 25, 'APP_STAGE'), appRoot);
  assert.equal(racy[0].code, 'envtrace.race');
  assert.equal(racy[0].severity, 'warning');
  assert.deepEqual(racy[0].related.map((r) => [r.file, r.line]), [[`${appRoot}/cmd/racy/main.go`, 15]]);
});
