import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { createScanner, loadTree, type Scanner, type WorkspaceIndex } from '../../server/src/scan/index';

const root = join(tmpdir(), 'envtrace-index-ws');
const p = (...parts: string[]) => join(root, ...parts);
let scanner: Scanner;

before(async () => {
  scanner = await createScanner();
});

function keys(index: WorkspaceIndex, file: string): string[] {
  return index.sitesOf(p(file)).map((s) => `${s.line}:${s.api}:${s.key ?? s.pattern ?? '-'}${s.default !== null ? '=' + s.default : ''}`);
}

function workspace(): WorkspaceIndex {
  const index = scanner.createIndex(root);
  index.setFile(p('go.mod'), 'module example.com/ws\n\ngo 1.22\n');
  index.setFile(p('consts.go'), 'package main\n\nconst key = "FIRST"\n');
  index.setFile(p('main.go'), 'package main\n\nimport (\n\t"os"\n\t"example.com/ws/conf"\n)\n\nfunc main() {\n\t_ = os.Getenv(key)\n\t_ = os.Getenv(conf.Name)\n\t_ = lookup("VIA_HELPER", "dflt")\n}\n');
  index.setFile(p('conf', 'conf.go'), 'package conf\n\nconst Name = "CONF_" + "NAME"\n');
  index.setFile(p('other.go'), 'package main\n\nimport "os"\n\nfunc other() { _ = os.Getenv("OTHER") }\n');
  return index;
}

test('an edited constant in one file re-resolves the keys of another, and only that file is reported', () => {
  const index = workspace();
  index.refresh();
  assert.deepEqual(keys(index, 'main.go'), ['9:os.Getenv:FIRST', '10:os.Getenv:CONF_NAME']);
  index.setFile(p('consts.go'), 'package main\n\nconst key = "SECOND"\n');
  assert.deepEqual(index.refresh(), [p('main.go')]);
  assert.deepEqual(keys(index, 'main.go'), ['9:os.Getenv:SECOND', '10:os.Getenv:CONF_NAME']);
  assert.deepEqual(index.refresh(), [], 'nothing changed since');
});

test('a helper defined in a new file turns existing calls into sites, and deleting it removes them', () => {
  const index = workspace();
  index.refresh();
  assert.equal(keys(index, 'main.go').length, 2);
  index.setFile(p('helper.go'), 'package main\n\nimport "os"\n\nfunc lookup(k, d string) string {\n\tif v, ok := os.LookupEnv(k); ok {\n\t\treturn v\n\t}\n\treturn d\n}\n');
  const changed = index.refresh();
  assert.deepEqual(new Set(changed), new Set([p('main.go'), p('helper.go')]));
  assert.deepEqual(keys(index, 'main.go'), ['9:os.Getenv:FIRST', '10:os.Getenv:CONF_NAME', '11:main.lookup:VIA_HELPER=dflt']);
  assert.deepEqual(keys(index, 'helper.go'), ['6:os.LookupEnv:-']);
  index.deleteFile(p('helper.go'));
  assert.deepEqual(new Set(index.refresh()), new Set([p('main.go'), p('helper.go')]));
  assert.equal(keys(index, 'main.go').length, 2);
  assert.deepEqual(index.sitesOf(p('helper.go')), []);
});

test('shadowing introduced by an edit removes the site; undoing it brings it back', () => {
  const index = workspace();
  assert.deepEqual(keys(index, 'other.go'), ['5:os.Getenv:OTHER']);
  index.setFile(p('other.go'), 'package main\n\nimport "os"\n\ntype f struct{}\n\nfunc (f) Getenv(string) string { return "" }\n\nfunc other() { os := f{}; _ = os.Getenv("OTHER") }\n');
  assert.deepEqual(index.refresh(), [p('other.go')]);
  assert.deepEqual(keys(index, 'other.go'), []);
  index.setFile(p('other.go'), 'package main\n\nimport "os"\n\nfunc other() { _ = os.Getenv("OTHER") }\n');
  assert.deepEqual(keys(index, 'other.go'), ['5:os.Getenv:OTHER']);
});

test("the go.mod module line maps import paths: without it another package's constant is unknown", () => {
  const index = workspace();
  assert.deepEqual(keys(index, 'main.go')[1], '10:os.Getenv:CONF_NAME');
  index.setFile(p('go.mod'), 'module example.com/renamed\n');
  assert.deepEqual(index.refresh(), [p('main.go')]);
  assert.deepEqual(keys(index, 'main.go')[1], '10:os.Getenv:-');
  index.setFile(p('go.mod'), 'module example.com/ws\n');
  assert.deepEqual(index.refresh(), [p('main.go')]);
  assert.deepEqual(keys(index, 'main.go')[1], '10:os.Getenv:CONF_NAME');
  index.deleteFile(p('go.mod'));
  index.refresh();
  assert.deepEqual(keys(index, 'main.go')[1], '10:os.Getenv:-');
});

test('unknown files have no sites and files that are not Go are ignored', () => {
  const index = workspace();
  index.setFile(p('notes.txt'), 'os.Getenv("X")');
  assert.deepEqual(index.sitesOf(p('nope.go')), []);
  assert.ok(!index.goFiles().includes(p('notes.txt')));
  assert.equal(index.goFiles().length, 4);
});

test('loadTree reads a tree from disk with worker threads, skipping vendor/ and testdata/', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-load-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/disk\n');
    writeFileSync(join(dir, 'a.go'), 'package a\n\nimport "os"\n\nvar port = os.Getenv("DISK_PORT")\n');
    for (const skipped of ['vendor', 'testdata', 'node_modules', '.git']) {
      mkdirSync(join(dir, skipped));
      writeFileSync(join(dir, skipped, 'x.go'), 'package x\n\nimport "os"\n\nvar _ = os.Getenv("SKIPPED")\n');
    }
    const index = scanner.createIndex(dir);
    const progress: number[] = [];
    assert.equal(await loadTree(index, { workers: 2, onProgress: (done) => progress.push(done) }), 1);
    assert.deepEqual(progress, [1]);
    const sites = index.allSites();
    assert.deepEqual(sites.map((s) => [s.file, s.key, s.function]), [['a.go', 'DISK_PORT', 'a.init']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a byte-order mark and CRLF line ends change neither package membership nor positions', () => {
  const index = workspace();
  index.setFile(p('consts.go'), '\uFEFFpackage main\r\n\r\nconst key = "FROM_BOM_FILE"\r\n');
  index.setFile(p('crlf.go'), 'package main\r\n\r\nimport "os"\r\n\r\nfunc crlf() {\r\n\t_ = os.ExpandEnv(`a\r\n  $CRLF_VAR`)\r\n}\r\n');
  index.refresh();
  assert.deepEqual(keys(index, 'main.go')[0], '9:os.Getenv:FROM_BOM_FILE');
  const [v] = index.sitesOf(p('crlf.go'));
  assert.deepEqual([v.key, v.line, v.column, v.endColumn], ['CRLF_VAR', 7, 3, 12]);
});

test('files reported inside vendor/ or testdata/ below the root are not indexed, as the walk skips them', () => {
  const index = workspace();
  index.setFile(p('vendor', 'lib', 'lib.go'), 'package lib\n\nimport "os"\n\nvar _ = os.Getenv("VENDORED")\n');
  index.setFile(p('pkg', 'testdata', 'x.go'), 'package x\n\nimport "os"\n\nvar _ = os.Getenv("TESTDATA")\n');
  assert.ok(!index.allSites().some((s) => s.key === 'VENDORED' || s.key === 'TESTDATA'));
  assert.equal(index.goFiles().length, 4);
  const inside = scanner.createIndex(join(root, 'testdata', 'case'));
  inside.setFile(join(root, 'testdata', 'case', 'a.go'), 'package a\n\nimport "os"\n\nvar _ = os.Getenv("ROOT_INSIDE_TESTDATA")\n');
  assert.deepEqual(inside.allSites().map((s) => s.key), ['ROOT_INSIDE_TESTDATA'], 'only directories below the root count');
});

test('a constant added to a file without env calls resolves keys that were unknown before', () => {
  const index = workspace();
  index.setFile(p('main.go'), 'package main\n\nimport "os"\n\nfunc main() { _ = os.Getenv(later) }\n');
  assert.deepEqual(keys(index, 'main.go'), ['5:os.Getenv:-']);
  index.setFile(p('later.go'), 'package main\n\nconst later = "ADDED_LATER"\n');
  assert.deepEqual(index.refresh(), [p('main.go')]);
  assert.deepEqual(keys(index, 'main.go'), ['5:os.Getenv:ADDED_LATER']);
  index.setFile(p('later.go'), 'package main\n\nconst later = "CHANGED"\n');
  assert.deepEqual(index.refresh(), [p('main.go')]);
  assert.deepEqual(keys(index, 'main.go'), ['5:os.Getenv:CHANGED']);
});

test('a package created after the fact provides constants to keys that import it', () => {
  const index = workspace();
  index.setFile(p('main.go'), 'package main\n\nimport (\n\t"os"\n\t"example.com/ws/fresh"\n)\n\nfunc main() { _ = os.Getenv(fresh.Key) }\n');
  assert.deepEqual(keys(index, 'main.go'), ['8:os.Getenv:-']);
  index.setFile(p('fresh', 'fresh.go'), 'package fresh\n\nconst Key = "FRESH_KEY"\n');
  assert.deepEqual(index.refresh(), [p('main.go')]);
  assert.deepEqual(keys(index, 'main.go'), ['8:os.Getenv:FRESH_KEY']);
});
