import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe as suite, test } from 'node:test';
import { createScanner, type ScanResult, type Site } from '../../server/src/scan/index';
import { describe, expectedSites } from './scanMarkers';

const repo = join(__dirname, '..', '..', '..');
const fixture = join(repo, 'test', 'fixtures', 'scan', 'mod');

function goFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? goFiles(p) : n.endsWith('.go') ? [p] : [];
  });
}

/** Compares a file's sites with its markers: same set, each described by what its marker states. */
function assertMarkers(sites: Site[], text: string, file: string): void {
  const want = expectedSites(text);
  const remaining = [...sites];
  const got = want.map((e) => {
    const i = remaining.findIndex((s) => s.line === e.line && s.column === e.column && s.kind === e.kind && s.key === e.key && s.pattern === e.pattern);
    return i < 0 ? `missing: ${describe(e)}` : describe(remaining.splice(i, 1)[0], e);
  });
  got.push(...remaining.map((s) => `unexpected: ${describe(s)}`));
  assert.deepEqual(got, want.map((e) => describe(e)), `sites of ${file}`);
}

suite('scanner on the fixture module', () => {
  let result: ScanResult;
  before(async () => {
    const scanner = await createScanner();
    result = await scanner.scanTree(fixture);
  });

  test('reads every Go file of the module and reports the absolute root', () => {
    assert.equal(result.root, fixture);
    assert.equal(result.files, goFiles(fixture).length);
  });

  for (const path of goFiles(fixture)) {
    const rel = relative(fixture, path).split('\\').join('/');
    test(`${rel}: sites match the markers`, () => {
      const text = readFileSync(path, 'utf8');
      const sites = result.sites.filter((s) => s.file === rel);
      assertMarkers(sites, text, rel);
      for (const s of sites) assert.equal(s.test, rel.endsWith('_test.go'), `test flag of ${describe(s)}`);
    });
  }

  test('the fixture really has lookalikes, shadowed names and markers (guards against an empty fixture)', () => {
    const main = readFileSync(join(fixture, 'main.go'), 'utf8');
    assert.ok(main.includes('os.Getenv(\\"IN_STRING\\")'));
    assert.ok(expectedSites(main).length >= 35);
    assert.ok(!result.sites.some((s) => /SHADOW|IN_(STRING|COMMENT|RAW|BLOCK)|NOT_/.test(s.key ?? '')));
  });

  test('sites are ordered by file, then line and column, with end after start', () => {
    for (let i = 1; i < result.sites.length; i++) {
      const a = result.sites[i - 1];
      const b = result.sites[i];
      assert.ok(a.file < b.file || (a.file === b.file && (a.line < b.line || (a.line === b.line && a.column <= b.column))), `${describe(a)} before ${describe(b)}`);
    }
    for (const s of result.sites) assert.ok(s.endLine > s.line || (s.endLine === s.line && s.endColumn > s.column), describe(s));
  });
});
