// Deep syntax (issue 10): 10,000 nested calls f(f(…)) once took minutes to scan, inside
// tree-sitter's parent lookups. The scanner now leaves what lies too deep out, with a note,
// and reads the rest of the file as usual.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createScanner } from '../../server/src/scan/index';

const repo = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'envtrace-deep-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const nested = (n: number, inner: string) => 'f('.repeat(n) + inner + ')'.repeat(n);
const deep = `package main

import (
	"os"

	"github.com/caarlos0/env/v11"
)

func f(s string) string { return s }

func main() {
	_ = ${nested(10000, 'os.Getenv("DEEP")')}
	_ = os.Getenv("SHALLOW")
	_ = ${nested(3, 'os.Getenv("NESTED_A_LITTLE")')}
	_ = ${nested(5000, 'func() string { type T struct{ K string `env:"DEEP_TAG"` }; var t T; _ = env.Parse(&t); return "" }()')}
}
`;
writeFileSync(join(dir, 'go.mod'), 'module example.com/deep\n\ngo 1.22\n');
writeFileSync(join(dir, 'deep.go'), deep);

const NOTE = /^\d+ places not scanned: syntax nested more than 256 levels deep$/;

test('a file of 10,000 nested calls: the scan completes, with a note, and reads what is not deep', async () => {
  const scanner = await createScanner();
  const result = await scanner.scanTree(dir);
  assert.deepEqual(result.sites.map((s) => s.key), ['SHALLOW', 'NESTED_A_LITTLE']);
  assert.equal(result.notes?.length, 1);
  assert.equal(result.notes[0].file, 'deep.go');
  assert.match(result.notes[0].message, NOTE);
});

test('the index of an editor session: the same sites and note, and an edit that removes the nesting clears it', async () => {
  const scanner = await createScanner();
  const index = scanner.createIndex(dir);
  const path = join(dir, 'deep.go');
  index.setFile(path, readFileSync(path, 'utf8'));
  assert.deepEqual(index.allSites().map((s) => s.key), ['SHALLOW', 'NESTED_A_LITTLE']);
  assert.match(index.notes()[0]?.message ?? '', NOTE);
  index.setFile(path, deep.replace(nested(10000, 'os.Getenv("DEEP")'), 'os.Getenv("DEEP")').replace(/_ = f\(f\(f\(f\(f\(f\(.*\n/, ''));
  assert.deepEqual(index.allSites().map((s) => s.key), ['DEEP', 'SHALLOW', 'NESTED_A_LITTLE']);
  assert.deepEqual(index.notes(), []);
});

test('envtrace scan prints the note on stderr and in the JSON', () => {
  const r = spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'scan', '--json', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^envtrace: deep\.go: \d+ places not scanned: syntax nested/);
  assert.equal(JSON.parse(r.stdout).notes[0].file, 'deep.go');
});
