import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { createScanner, loadTree, type Scanner } from '../../server/src/scan/index';
import { serveLoad, type LoadBatch, type LoadDone } from '../../server/src/scan/loadPool';

let scanner: Scanner;
let dir: string;

before(async () => {
  scanner = await createScanner();
  dir = mkdtempSync(join(tmpdir(), 'envtrace-loadpool-'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/many\n');
  // Enough files for every thread to take some: env reads, a helper and its callers, constants.
  mkdirSync(join(dir, 'conf'));
  writeFileSync(join(dir, 'conf', 'conf.go'), 'package conf\n\nimport "os"\n\nconst Prefix = "APP_"\n\n// Get reads key.\nfunc Get(key string) string { return os.Getenv(key) }\n');
  for (let i = 0; i < 240; i++) {
    const pkg = `p${i % 12}`;
    mkdirSync(join(dir, pkg), { recursive: true });
    const body = i % 3 === 0 ? `_ = os.Getenv("K${i}")` : i % 3 === 1 ? `_ = conf.Get("H${i}")` : `_ = ${i}`;
    writeFileSync(join(dir, pkg, `f${i}.go`), `package ${pkg}\n\nimport (\n\t"os"\n\t"example.com/many/conf"\n)\n\nvar _ = os.Args\nvar _ = conf.Prefix\n\nfunc F${i}() {\n\t${body}\n}\n`);
  }
  symlinkSync(join(dir, 'nowhere.go'), join(dir, 'p0', 'dangling.go'));
});

test('loading with worker threads gives the files and sites of a load on this thread alone', async () => {
  try {
    const sitesWith = async (workers: number) => {
      const index = scanner.createIndex(dir);
      const files = await loadTree(index, { workers });
      return { files, sites: JSON.stringify(index.allSites()) };
    };
    const alone = await sitesWith(0);
    assert.equal(alone.files, 241); // the dangling link is not a file
    assert.equal(JSON.parse(alone.sites).length, 80 + 80 + 1);
    assert.deepEqual(await sitesWith(1), alone);
    assert.deepEqual(await sitesWith(3), alone);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker without a grammar still reads and pre-filters, and sends every file back', () => {
  const root = mkdtempSync(join(tmpdir(), 'envtrace-serve-'));
  try {
    const paths = ['a.go', 'b.go', 'missing.go'].map((n) => join(root, n));
    writeFileSync(paths[0], 'package a\n\nimport "os"\n\nvar x = os.Getenv("A")\n');
    writeFileSync(paths[1], 'package a\n\n// Environment, but no API.\nvar y = 1\n');
    const next = new SharedArrayBuffer(4);
    const got: (LoadBatch | LoadDone)[] = [];
    serveLoad({ paths, next, within: root }, null, (m) => got.push(m));
    assert.ok('done' in got[got.length - 1]);
    const batch = (got[0] as LoadBatch).batch;
    assert.deepEqual(batch.index, [0, 1, -3]); // the missing file is marked unreadable
    assert.deepEqual(batch.env, [true, false, false]);
    assert.deepEqual(batch.facts, [undefined, undefined, undefined]);
    assert.deepEqual(batch.headers.slice(0, 2).map((h) => h?.pkgName), ['a', 'a']);
    const bytes = Buffer.from(batch.bytes);
    assert.equal(bytes.subarray(0, batch.lengths[0]).toString(), readFileSync(paths[0], 'utf8'));
    assert.equal(new Int32Array(next)[0] >= 3, true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
