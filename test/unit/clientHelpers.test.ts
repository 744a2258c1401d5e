/** The client's editor-free helpers: report summaries, Markdown escaping and links, test finding, run import. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathWithGo } from '../../client/src/cli';
import { findTests, runPattern } from '../../client/src/goTests';
import { inventoryMarkdown } from '../../client/src/inventoryMarkdown';
import { toInventory } from '../../client/src/inventory';
import { escapeMarkdown, linkifyLine } from '../../client/src/markdown';
import { showValue, summarize, summaryText, type JsonReport } from '../../client/src/report';
import { importInto, importsDirectory, reportProblem } from '../../client/src/runImport';
import { runChoices } from '../../client/src/runChoices';
import { listImported, listRuns } from '../../client/src/runStore';
import type { ScanResult } from '../../server/src/scan/types';

function report(): JsonReport {
  return {
    version: 1, id: 'r1', label: 'ci', command: ['go', 'run', '.'], cwd: '/w', exitCode: 0,
    processes: [{ pid: 10, parent: null, argv: ['/tmp/main'] }],
    events: [
      { pid: 10, op: 'getenv', key: 'PORT', api: 'os.Getenv', found: true },
      { pid: 10, op: 'getenv', key: 'REGION', api: 'os.LookupEnv', found: false },
      { pid: 10, op: 'getenv', key: 'DB_PASSWORD', api: 'os.Getenv', found: true },
      { pid: 10, op: 'getenv', key: 'APP_STAGE', api: 'os.Getenv', found: true },
    ],
    vars: [
      { key: 'PORT', reads: 3, writes: 0, unsetReads: 0, values: [{ value: '8080', count: 3 }], sites: [{ file: '/w/main.go', line: 18, count: 3 }], race: null },
      { key: 'REGION', reads: 1, writes: 0, unsetReads: 1, values: [], sites: [], race: null },
      { key: 'DB_PASSWORD', reads: 1, writes: 0, unsetReads: 0, values: [{ hash: 'ab12', length: 24, count: 1 }], sites: [], race: null },
      { key: 'APP_STAGE', reads: 2, writes: 1, unsetReads: 0, values: [{ value: '[x](command:evil)', count: 2 }], sites: [], race: { level: 'definite', detail: 'written by goroutine 12' } },
    ],
  };
}

describe('report summaries', () => {
  it('counts keys, unset keys, races and processes', () => {
    const s = summarize(report());
    assert.deepEqual(s, { keys: 4, unset: 1, races: 1, processes: 1 });
    assert.equal(summaryText(s), '4 keys · 1 unset · 1 race');
    assert.equal(summaryText({ keys: 1, unset: 0, races: 2, processes: 1 }), '1 key · 0 unset · 2 races');
  });

  it('leaves out keys only the Go runtime read at start-up', () => {
    const r = report();
    r.events = [...(r.events ?? []), { pid: 10, op: 'getenv', key: 'GODEBUG', api: 'runtime' }, { pid: 10, op: 'getenv', key: 'PORT', api: 'runtime' }];
    r.vars.push({ key: 'GODEBUG', reads: 1, writes: 0, unsetReads: 1, values: [], sites: [], race: null });
    assert.deepEqual(summarize(r), { keys: 4, unset: 1, races: 1, processes: 1 });
  });

  it("uses the engine's counts when the report has them", () => {
    const r = { ...report(), counts: { keys: 7, unset: 2, races: 0, processes: 3 } };
    assert.deepEqual(summarize(r), { keys: 7, unset: 2, races: 0, processes: 3 });
  });

  it('shows redacted values by length only, and truncates long ones', () => {
    assert.equal(showValue({ hash: 'ab12', length: 24, count: 1 }), '••• (24 chars)');
    assert.equal(showValue({ value: 'x'.repeat(50), count: 1 }, 10), JSON.stringify(`${'x'.repeat(9)}…`));
  });
});

describe('markdown from untrusted run data', () => {
  it('escapes link and HTML syntax', () => {
    assert.equal(escapeMarkdown('[x](command:evil) <b>'), '\\[x\\]\\(command:evil\\) \\<b\\>');
  });

  it('turns file.go:LINE into file links and escapes the rest', () => {
    const md = linkifyLine('PORT changed at cmd/main.go:12 (was "1")', '/w');
    assert.match(md, /\[cmd\/main\\\.go:12\]\(file:\/\/\/w\/cmd\/main\.go#L12\)/);
    assert.match(md, /\\\(was "1"\\\)/);
  });

  it('builds an inventory with defaults, site links, observed values, redaction and races', () => {
    const scan: ScanResult = {
      root: '/w', files: 2,
      sites: [
        { file: 'main.go', line: 18, column: 10, endLine: 18, endColumn: 32, kind: 'read', key: 'PORT', pattern: null, api: 'main.getenv', default: '8080', function: 'main.main', test: false },
        { file: 'main_test.go', line: 6, column: 2, endLine: 6, endColumn: 25, kind: 'write', key: 'PORT', pattern: null, api: 'testing.T.Setenv', default: null, function: 'main.TestPort', test: true },
        { file: 'main.go', line: 20, column: 5, endLine: 20, endColumn: 30, kind: 'read', key: null, pattern: null, api: 'os.Getenv', default: null, function: 'main.main', test: false },
      ],
    };
    const md = inventoryMarkdown(scan, report(), 'app');
    assert.match(md, /^# Environment of app/);
    assert.match(md, /\| `PORT` \| "8080" \| 1 \| 1 \| "8080" \|/);
    assert.match(md, /\[main\\\.go:18\]\(main\.go#L18\)/, 'links relative to the inventory, not file:///');
    assert.match(md, /••• \\\(24 chars\\\)/);
    assert.match(md, /⚠ definite race/);
    assert.ok(!md.includes('[x](command:evil)'), 'observed values cannot inject links');
    assert.match(md, /## Dynamic keys/);
  });
});

describe('inventory shapes', () => {
  it('reads a scan result and a keys-with-sites answer alike', () => {
    const site = { file: 'a.go', line: 3, column: 1, endLine: 3, endColumn: 9, kind: 'read', key: 'A', pattern: null, api: 'os.Getenv', default: null, function: null, test: false };
    const fromScan = toInventory({ root: '/w', files: 1, sites: [site] }, '/w');
    const fromServer = toInventory({ keys: [{ key: 'A', sites: [{ ...site, file: undefined, uri: 'file:///w/a.go' }] }] }, '/w');
    assert.equal(fromScan[0].sites[0].absFile, '/w/a.go');
    assert.equal(fromServer[0].sites[0].absFile, '/w/a.go');
    assert.deepEqual(toInventory(null, '/w'), []);
    const lsp = toInventory({ keys: [{ name: 'B', isPattern: false, sites: [{ uri: 'file:///w/b.go', range: { start: { line: 4, character: 2 }, end: { line: 4, character: 9 } }, kind: 'read', key: 'B', pattern: null, api: 'os.Getenv', default: null, function: null, test: false }] }], other: [], files: 1, indexing: false }, '/w');
    assert.deepEqual([lsp[0].key, lsp[0].sites[0].absFile, lsp[0].sites[0].line, lsp[0].sites[0].column], ['B', '/w/b.go', 5, 3]);
  });

  it('keeps each key\'s role and risk, from scan --json and from the server alike (issue 15)', () => {
    const site = { file: 'a.go', line: 3, column: 1, endLine: 3, endColumn: 9, kind: 'read', key: 'A', pattern: null, api: 'os.Getenv', default: null, function: null, test: false };
    const risk = { role: 'credential', risk: 'high', reasons: ['R2 unchecked-credential: …'] };
    assert.deepEqual(toInventory({ root: '/w', files: 1, sites: [site], keys: { A: risk } }, '/w')[0].risk, risk);
    assert.deepEqual(toInventory({ keys: [{ name: 'A', isPattern: false, sites: [{ ...site, file: undefined, uri: 'file:///w/a.go' }], risk }] }, '/w')[0].risk, risk);
    assert.equal(toInventory({ root: '/w', files: 1, sites: [site] }, '/w')[0].risk, undefined);
  });
});

describe('PATH for traced runs', () => {
  it('puts the configured go first, or appends the usual install folders', () => {
    assert.equal(pathWithGo('/opt/go/bin/go', '/usr/bin'), '/opt/go/bin:/usr/bin');
    assert.equal(pathWithGo('/opt/go/bin', '/usr/bin'), '/opt/go/bin:/usr/bin');
    const p = pathWithGo('', '/usr/bin:/usr/local/go/bin').split(':');
    assert.equal(p[0], '/usr/bin');
    assert.equal(p.filter((d) => d === '/usr/local/go/bin').length, 1);
  });
});

describe('test lenses', () => {
  it('finds Test functions with *testing.T and their lines, not helpers or benchmarks', () => {
    const src = 'package x\n\nfunc TestA(t *testing.T) {}\nfunc testHelper(t *testing.T) {}\nfunc BenchmarkB(b *testing.B) {}\nfunc Test_under(tt *testing.T) {}\nfunc Testlower(t *testing.T) {}\n';
    assert.deepEqual(findTests(src), [{ name: 'TestA', line: 2 }, { name: 'Test_under', line: 5 }]);
  });

  it('anchors -run patterns', () => {
    assert.equal(runPattern('TestPort'), '^TestPort$');
  });
});

describe('importing runs', () => {
  it('rejects what is not a report, with a reason', () => {
    assert.match(reportProblem({ version: 2, vars: [], processes: [] }) ?? '', /version 2/);
    assert.match(reportProblem({ version: 1 }) ?? '', /not an envtrace report/);
    assert.equal(reportProblem(report()), undefined);
  });

  it("keeps a JSON report in the store's imports/ and lists it as an imported run", async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'envtrace-import-'));
    const src = path.join(tmp, 'ci-report.json');
    writeFileSync(src, JSON.stringify(report()));
    const store = path.join(tmp, '.envtrace');
    const file = await importInto(src, store);
    assert.equal(file, path.join(store, 'imports', 'r1.json'));
    const listed = await listImported(tmp, importsDirectory(store));
    assert.equal(listed.length, 1);
    assert.deepEqual([listed[0].label, listed[0].exitCode, listed[0].imported], ['imported: ci', 0, true]);
    assert.deepEqual(await listRuns(tmp, path.join(store, 'runs')), [], 'no stored run appears');
    // a second import of the same report does not overwrite the first
    assert.equal(await importInto(src, store), path.join(store, 'imports', 'r1-1.json'));
  });

  it('copies a run directory and refuses a directory without run.json', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'envtrace-import-'));
    const run = path.join(tmp, 'artifact', '20261126-1');
    mkdirSync(run, { recursive: true });
    writeFileSync(path.join(run, 'run.json'), JSON.stringify({ id: '20261126-1', label: 'ci', start: '2026-11-26T10:00:00Z', exitCode: 1 }));
    writeFileSync(path.join(run, '42-1.jsonl'), '{"t":"P"}\n');
    const store = path.join(tmp, '.envtrace');
    const dir = await importInto(run, store);
    assert.equal(dir, path.join(store, 'runs', '20261126-1'));
    assert.equal(readFileSync(path.join(dir, '42-1.jsonl'), 'utf8'), '{"t":"P"}\n');
    const [listed] = await listRuns(tmp, path.join(store, 'runs'));
    assert.deepEqual([listed.exitCode, listed.complete, listed.interrupted], [1, true, true], 'no end in run.json, no recorder named, a week old: interrupted');
    await assert.rejects(importInto(path.join(tmp, 'artifact'), store), /no run\.json/);
    await assert.rejects(importInto(path.join(tmp, 'nope.json'), store), /ENOENT|no such file/);
  });

  it('shows the command of an old run.json with its secret flags redacted, unless recorded with --no-redact', async () => {
    const runs = path.join(mkdtempSync(path.join(tmpdir(), 'envtrace-oldcmd-')), 'runs');
    for (const [id, extra] of [['old', {}], ['clear', { noRedact: true }]] as const) {
      mkdirSync(path.join(runs, id), { recursive: true });
      writeFileSync(path.join(runs, id, 'run.json'), JSON.stringify({ id, label: null, command: ['go', 'run', '.', '--token', 'S3CR3T-t', '--password=S3CR3T-p'], start: '2026-11-26T10:00:00Z', end: '2026-11-26T10:00:01Z', ...extra }));
    }
    const listed = Object.fromEntries((await listRuns(path.dirname(runs), runs)).map((r) => [r.id, [r.label, r.command.join(' ')]]));
    assert.deepEqual(listed.old, ['go run . --token <redacted> --password=<redacted>', 'go run . --token <redacted> --password=<redacted>']);
    assert.deepEqual(listed.clear, ['go run . --token S3CR3T-t --password=S3CR3T-p', 'go run . --token S3CR3T-t --password=S3CR3T-p']);
  });
});

describe('run choices (issue 18 item 10)', () => {
  const shop = path.join(__dirname, '..', '..', '..', 'examples', 'shop');
  it('offers go run . once when the active file is the module root main package', () => {
    const main = path.join(shop, 'main.go');
    const choices = runChoices({ root: shop, active: { path: main, text: readFileSync(main, 'utf8') }, testFlags: [] });
    const runs = choices.filter((c) => c.command?.join(' ') === 'go run .');
    assert.equal(runs.length, 1, choices.map((c) => c.label).join(', '));
    assert.equal(choices.filter((c) => c.command?.join(' ') === 'go test .').length, 1);
  });

  it('offers no go run . for a library module', () => {
    const lib = mkdtempSync(path.join(tmpdir(), 'envtrace-lib-'));
    try {
      writeFileSync(path.join(lib, 'go.mod'), 'module example.com/lib\n\ngo 1.22\n');
      writeFileSync(path.join(lib, 'lib.go'), 'package lib\n\nfunc X() {}\n');
      const choices = runChoices({ root: lib, testFlags: [] });
      assert.ok(!choices.some((c) => c.command?.[1] === 'run'), choices.map((c) => c.label).join(', '));
      assert.ok(choices.some((c) => c.command?.join(' ') === 'go test ./...'));
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  });
});
