import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ScanResult } from '../../server/src/scan/types';
import { escapeControls } from '../../server/src/runs/text';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const fixture = join(repo, 'test', 'fixtures', 'scan', 'mod');

function envtrace(args: string[], cwd = fixture) {
  assert.ok(existsSync(cli), 'dist/cli.js is built (npm test builds it)');
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function goFileCount(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? goFileCount(join(dir, e.name)) : e.name.endsWith('.go') ? 1 : 0), 0);
}

const FIELDS = ['file', 'line', 'column', 'endLine', 'endColumn', 'kind', 'key', 'pattern', 'api', 'default', 'function', 'test'];

test('scan --json prints one object in the documented format', () => {
  const r = envtrace(['scan', '--json', fixture], tmpdir());
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as ScanResult;
  assert.equal(out.root, fixture);
  assert.equal(out.files, goFileCount(fixture));
  for (const s of out.sites) assert.deepEqual(Object.keys(s).filter((k) => k !== 'deferred' && k !== 'uses'), FIELDS);
  // `defer os.Unsetenv("DEFERRED")` in statements(): the function exits only at its closing brace.
  const deferred = out.sites.filter((s) => s.deferred);
  assert.deepEqual(deferred.map((s) => [s.key, s.deferred]), [['DEFERRED', [48]]]);
  const port = out.sites.find((s) => s.key === 'PORT' && s.api === 'main.getenv' && !s.test);
  assert.deepEqual({ ...port, line: 0, column: 0, endLine: 0, endColumn: 0, uses: undefined }, {
    file: 'main.go', line: 0, column: 0, endLine: 0, endColumn: 0, kind: 'read', key: 'PORT', pattern: null,
    api: 'main.getenv', default: '8080', function: 'main.main', test: false, uses: undefined,
  });
  assert.ok(out.sites.some((s) => s.file === 'config/config.go'), 'files of subpackages use / separators relative to the root');
  assert.ok(out.sites.some((s) => s.pattern === 'FEATURE_*' && s.key === null));
});

test('scan prints one text line per site, the same sites as --json, from the current directory by default', () => {
  const json = JSON.parse(envtrace(['scan', '--json']).stdout) as ScanResult;
  const r = envtrace(['scan']);
  assert.equal(r.code, 0, r.stderr);
  // Control characters of keys (a tab here) are written as escapes, so each site stays one line.
  const want = json.sites.map((s) => escapeControls(`${s.file}:${s.line}:${s.column}  ${s.kind}  ${s.key ?? s.pattern ?? '<dynamic>'}  ${s.api}`));
  assert.ok(want.includes(`main.go:46:43  read  TAB\\tKEY  os.Getenv`), 'the tab in a key is escaped');
  assert.deepEqual(r.stdout.trimEnd().split('\n'), want);
  assert.ok(want.some((l) => /^main\.go:\d+:\d+ {2}read {2}FEATURE_\* {2}os\.Getenv$/.test(l)));
  assert.ok(want.some((l) => /^main\.go:\d+:\d+ {2}clear {2}<dynamic> {2}os\.Clearenv$/.test(l)));
});

test('several paths are scanned under their common directory, which becomes the root', () => {
  const r = envtrace(['scan', '--json', 'config', 'keys', 'dot.go']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as ScanResult;
  assert.equal(out.root, fixture);
  assert.equal(out.files, 4, 'config.go, keys.go, keys/v2/keys.go, dot.go');
  assert.deepEqual([...new Set(out.sites.map((s) => s.file))], ['config/config.go', 'dot.go']);
});

test('a path that does not exist exits 2 with one line on stderr', () => {
  const r = envtrace(['scan', 'no/such/dir']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  assert.match(r.stderr, /no such file or directory: .*no\/such\/dir/);
});

test('an unknown flag is a usage error', () => {
  const r = envtrace(['scan', '--frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown flag --frobnicate/);
});

test('Go that does not parse is scanned as far as it recovers, without failing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-bad-'));
  try {
    writeFileSync(join(dir, 'bad.go'), 'package bad\n\nimport "os"\n\nfunc f() {\n\tx := os.Getenv("STILL_FOUND")\n\tif {{{ ]\n');
    writeFileSync(join(dir, 'binary.go'), Buffer.from([0, 159, 146, 150, 0, 255, 10, 111, 115]));
    const r = envtrace(['scan', '--json', dir], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as ScanResult;
    assert.equal(out.files, 2);
    assert.deepEqual(out.sites.map((s) => [s.file, s.key]), [['bad.go', 'STILL_FOUND']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
