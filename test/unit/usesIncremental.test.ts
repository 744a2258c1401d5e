import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import { createScanner, type Scanner } from '../../server/src/scan/index';
import { loadTree } from '../../server/src/scan/walk';
import { indexUses } from '../../server/src/cli/scanUses';
import { folderScanFactory } from '../../server/src/workspace/folderScan';
import type { FolderScan } from '../../server/src/workspace/workspace';

const repo = join(__dirname, '..', '..', '..');

/**
 * The language server keeps flows between edits (uses/incremental.ts); after every edit its
 * report must be what a fresh analysis of the same files gives. Each edit below changes what
 * some flow depends on: its own file, a file of a package it searched, a file naming a field or
 * function it looked up across packages, a file that appears or goes.
 */
suite('uses kept between edits equal a fresh analysis (issue 15)', () => {
  let dir: string;
  let scanner: Scanner;
  let folder: FolderScan;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'envtrace-uses-edits-'));
    cpSync(join(repo, 'test', 'fixtures', 'uses'), dir, { recursive: true });
    cpSync(join(repo, 'test', 'fixtures', 'client', 'orders'), join(dir, 'orders'), { recursive: true });
    scanner = await createScanner();
    folder = folderScanFactory(Promise.resolve(scanner))(dir);
    await folder.scanAll(() => {});
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Every site's uses and every key's risk, as the folder reports them now. */
  const kept = () => {
    const report = folder.uses!()!;
    const sites = [...folder.files()].flatMap((rel) => folder.sitesOf(rel));
    return {
      uses: Object.fromEntries(sites.map((s) => [`${s.file}:${s.line}:${s.column}:${s.key}`, report.siteUses(s)])),
      keys: Object.fromEntries([...new Set(sites.map((s) => s.key).filter((k): k is string => k !== null))].sort().map((k) => [k, report.key(k)])),
    };
  };
  /** The same from a fresh scan and analysis of the files on disk. */
  const fresh = async () => {
    const index = scanner.createIndex(dir);
    await loadTree(index);
    const sites = index.allSites();
    const report = await indexUses(index, sites);
    return {
      uses: Object.fromEntries(sites.map((s, i) => [`${s.file}:${s.line}:${s.column}:${s.key}`, report.siteUses[i]])),
      keys: Object.fromEntries([...new Set(sites.map((s) => s.key).filter((k): k is string => k !== null))].sort().map((k) => [k, report.keys[k]])),
    };
  };
  /** Writes `rel` (null: deletes it) on disk and tells the folder, as the server does. */
  const edit = (rel: string, text: string | null) => {
    const path = join(dir, ...rel.split('/'));
    if (text === null) rmSync(path);
    else writeFileSync(path, text);
    folder.update([[rel, text]]);
  };
  const read = (rel: string) => readFileSync(join(dir, ...rel.split('/')), 'utf8');

  test('before any edit', async () => {
    assert.deepEqual(kept(), await fresh());
  });

  const edits: [string, () => void][] = [
    ['a line inserted at the top of a file moves its sites', () => edit('ginapi/main.go', '// moved\n' + read('ginapi/main.go'))],
    ['a check added in the site\'s function', () => edit('orders/store/db.go', read('orders/store/db.go').replace('\thost := ', '\tif pass == "" {\n\t\treturn nil, nil\n\t}\n\thost := '))],
    ['the file reading a config field across packages changes', () => edit('stdapi/main.go', read('stdapi/main.go').replace('spec.Upstream', 'spec.DataDir'))],
    ['a file of the field\'s own package changes', () => edit('stdapi/config/config.go', read('stdapi/config/config.go').replace('envconfig:"UPSTREAM_URL"', 'envconfig:"UPSTREAM_ENDPOINT"'))],
    ['a new file in another package logs a field', () => edit('orders/audit.go', 'package main\n\nimport "log"\n\nfunc audit(s settingsView) {\n\tlog.Printf("token %s", s.Token)\n}\n\ntype settingsView struct{ Token string }\n')],
    ['a new file that reads a field of another package', () => edit('orders/report.go', 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/orders/payments"\n)\n\nfunc report(c *payments.Client) {\n\tfmt.Println(c.Token)\n}\n')],
    ['that file is deleted again', () => edit('orders/report.go', null)],
    ['a helper\'s caller changes in the same package', () => edit('ginapi/main.go', read('ginapi/main.go').replace('sqlx.Connect("mysql", dsn())', 'sqlx.Connect("mysql", "x")'))],
  ];
  for (const [name, apply] of edits) {
    test(`after an edit: ${name}`, async () => {
      apply();
      assert.deepEqual(kept(), await fresh());
    });
  }
});
