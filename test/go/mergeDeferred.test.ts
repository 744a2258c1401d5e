// Deferred env calls with the real toolchain: Go runs `defer os.Unsetenv(k)` at the function's
// exit, so the trace shows the `return` line (or the closing brace); the merge places the
// event back on the `defer` statement's site.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { loadObservations } from '../../server/src/analysis/loadObservations';
import { mergeContext, observationsForFile, type SiteObservation } from '../../server/src/analysis/merge';
import { scanTree } from '../../server/src/scan/index';
import type { Site } from '../../server/src/scan/types';

const cli = join(resolve(__dirname, '..', '..', '..'), 'dist', 'cli.js');

const MAIN = `package main

import (
	"fmt"
	"os"
)

func withKey(k string) string {
	os.Setenv(k, "1")
	defer os.Unsetenv(k) // @withKey
	if os.Getenv(k) == "" {
		return "empty"
	}
	return "set"
}

func restore(k string) {
	old := os.Getenv(k)
	os.Setenv(k, "tmp") // @restoreSet
	defer os.Setenv(k, old) // @restoreDefer
	fmt.Println(os.Getenv(k))
}

func two() {
	defer os.Unsetenv("TWO_A") // @twoA
	defer os.Unsetenv("TWO_B") // @twoB
	os.Setenv("TWO_A", "a")
	os.Setenv("TWO_B", "b")
}

func ambiguous(a, b string) {
	os.Setenv(a, "1")
	os.Setenv(b, "1")
	defer os.Unsetenv(a) // @amb1
	defer os.Unsetenv(b) // @amb2
}

func main() {
	fmt.Println(withKey("DEFER_VAR"))
	restore("RESTORE_VAR")
	two()
	ambiguous("AMB_1", "AMB_2")
}
`;

const lines = MAIN.split('\n');
/** The 1-based line of a `// @name` marker. */
const lineOf = (name: string) => lines.findIndex((l) => l.endsWith(`// @${name}`)) + 1;
/** The first line at or after `from` that holds `text`. */
const lineWith = (text: string, from: number) => lines.findIndex((l, i) => i + 1 >= from && l.includes(text)) + 1;

let work: string;
let mod: string;
let sites: Site[];
let observed: SiteObservation[];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'envtrace-defer-'));
  mod = join(work, 'mod');
  mkdirSync(mod);
  writeFileSync(join(mod, 'go.mod'), 'module example.com/deferred\n\ngo 1.21\n');
  writeFileSync(join(mod, 'main.go'), MAIN);
  const r = spawnSync(process.execPath, [cli, '--dir', work, '--quiet', '--', 'go', 'run', '.'], { cwd: mod, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const runs = join(work, '.envtrace', 'runs');
  sites = (await scanTree(mod)).sites;
  const ctx = mergeContext(await loadObservations(readdirSync(runs).map((d) => join(runs, d))), mod, { files: ['main.go'] });
  observed = observationsForFile(ctx, sites);
});
after(() => rmSync(work, { recursive: true, force: true }));

const at = (line: number, kind: Site['kind']) => {
  const o = observed.find((x) => x.site.line === line && x.site.kind === kind);
  assert.ok(o, `a ${kind} site at line ${line}`);
  return o;
};

test('the scanner gives a deferred call the exit lines of its function', () => {
  const w = at(lineOf('withKey'), 'unset').site;
  assert.deepEqual(w.deferred, [lineWith('return "empty"', 1), lineWith('return "set"', 1), lineWith('}', lineWith('return "set"', 1))]);
  assert.equal(sites.filter((s) => s.deferred !== undefined).length, 6);
  assert.equal(at(lineOf('restoreSet'), 'write').site.deferred, undefined);
});

test('a deferred os.Unsetenv is observed at its defer statement, not lost at the return', () => {
  const o = at(lineOf('withKey'), 'unset');
  assert.equal(o.count, 1);
  assert.deepEqual(o.keys, [{ key: 'DEFER_VAR', count: 1 }]);
  assert.equal(at(lineOf('withKey') - 1, 'write').count, 1);
});

test('a deferred restore (defer os.Setenv(k, old)) at the closing brace; the plain Setenv keeps its own event', () => {
  const plain = at(lineOf('restoreSet'), 'write');
  assert.deepEqual(plain.values.map((v) => [v.value, v.count]), [['tmp', 1]]);
  const deferred = at(lineOf('restoreDefer'), 'write');
  assert.deepEqual(deferred.values.map((v) => [v.value, v.count]), [['', 1]]);
});

test('two deferred calls with different literal keys each get theirs; two with dynamic keys get none (ambiguous)', () => {
  assert.deepEqual(at(lineOf('twoA'), 'unset').keys, [{ key: 'TWO_A', count: 1 }]);
  assert.deepEqual(at(lineOf('twoB'), 'unset').keys, [{ key: 'TWO_B', count: 1 }]);
  for (const m of ['amb1', 'amb2']) {
    const o = at(lineOf(m), 'unset');
    assert.deepEqual(o.site.deferred, []);
    assert.equal(o.reached, false);
  }
});

test('the text trace (envtrace report) shows each deferred call at its defer statement, ambiguous ones at the exit', () => {
  const r = spawnSync(process.execPath, [cli, 'report', '--dir', work], { cwd: mod, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const trace = r.stdout.split('\n').filter((l) => l.startsWith('[') && l.includes('main.go:'));
  const has = (line: string) => assert.ok(trace.includes(line), `${line}\nnot in:\n${trace.join('\n')}`);
  has(`[UNSETENV] main.go:${lineOf('withKey')} → os.Unsetenv("DEFER_VAR") → ok (×1)`);
  has(`[SETENV] main.go:${lineOf('restoreSet')} → os.Setenv("RESTORE_VAR", …) → value="tmp" (×1)`);
  has(`[SETENV] main.go:${lineOf('restoreDefer')} → os.Setenv("RESTORE_VAR", …) → value="" (×1)`);
  has(`[UNSETENV] main.go:${lineOf('twoA')} → os.Unsetenv("TWO_A") → ok (×1)`);
  has(`[UNSETENV] main.go:${lineOf('twoB')} → os.Unsetenv("TWO_B") → ok (×1)`);
  const ambiguousEnd = lineWith('}', lineOf('amb2'));
  has(`[UNSETENV] main.go:${ambiguousEnd} → os.Unsetenv("AMB_1") → ok (×1)`);
  has(`[UNSETENV] main.go:${ambiguousEnd} → os.Unsetenv("AMB_2") → ok (×1)`);
  assert.equal(trace.filter((l) => l.startsWith('[UNSETENV]')).length, 5, trace.join('\n'));

  // The JSON report keeps the frames as recorded: the exit line.
  const json = spawnSync(process.execPath, [cli, 'report', '--format', 'json', '--dir', work], { cwd: mod, encoding: 'utf8' });
  assert.equal(json.status, 0, json.stderr);
  const unset = JSON.parse(json.stdout).events.find((e: { op: string; key?: string }) => e.op === 'unsetenv' && e.key === 'DEFER_VAR');
  assert.ok(at(lineOf('withKey'), 'unset').site.deferred!.includes(unset.line), `DEFER_VAR's unsetenv recorded at an exit line (${unset.line})`);
});
