// go.mod's view of the last traced go command (analysis/goModConfig.ts) and the report replay
// of go commands: pure functions over data in the documented shapes (docs/FORMATS.md section 3).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareGoVersions, goModLines, goModView } from '../../server/src/analysis/goModConfig';
import type { ObservedGoCommand, ObservedRun } from '../../server/src/analysis/observations';
import { replayReport } from '../../server/src/analysis/reportReplay';
import type { GoCommandConfig } from '../../server/src/runs/goConfig';

const GOMOD = '/w/app/go.mod';

function run(id: string, commands: Partial<ObservedGoCommand>[]): ObservedRun {
  return {
    index: 0, id, label: null, source: `/w/app/.envtrace/runs/${id}`, kind: 'dir', command: ['go'], cwd: '/w/app', start: '', exitCode: 0, goVersion: null, windows: false, events: 0,
    problems: { badLines: 0, lostEvents: 0, unreadableFiles: 0 }, races: new Map(),
    goCommands: commands.map((c, i) => ({ pid: 100 + i, argv: ['go', 'build', './...'], cwd: '/w/app', start: 1, goMods: [GOMOD], config: cfg({}), ...c })),
  };
}
const cfg = (c: Partial<GoCommandConfig>): GoCommandConfig => ({ subcommand: 'build', args: ['./...'], config: [], warnings: [], goVersion: 'go1.26.8', ...c });

test('go.mod directives: module, go and toolchain lines with their value ranges (comments, quotes, indentation)', () => {
  const lines = goModLines('// c\nmodule "example.com/x" // the module\n\n  go 1.22.0\ntoolchain go1.27.3\nrequire a v1\ngo 1.99\n');
  assert.deepEqual(lines, [
    { kind: 'module', line: 1, start: 7, end: 22, value: 'example.com/x' },
    { kind: 'go', line: 3, start: 5, end: 11, value: '1.22.0' },
    { kind: 'toolchain', line: 4, start: 10, end: 18, value: 'go1.27.3' },
  ]);
});

test('Go versions compare by release, release candidates before the release', () => {
  assert.ok(compareGoVersions('go1.21.13', '1.22')! < 0);
  assert.ok(compareGoVersions('go1.22rc1', 'go1.22.0')! < 0);
  assert.equal(compareGoVersions('1.22', 'go1.22.0'), 0);
  assert.equal(compareGoVersions('local', 'go1.22.0'), null);
});

test('the newest go command that worked on the go.mod wins; others and other modules are ignored', () => {
  const old = run('a', [{ start: 5, config: cfg({ config: [{ key: 'GO111MODULE', value: 'off', source: 'environment' }] }) }]);
  const other = run('b', [{ start: 50, goMods: ['/w/other/go.mod'] }]);
  const newer = run('c', [{ start: 9, config: cfg({ config: [{ key: 'GO111MODULE', value: '', source: 'default' }] }) }]);
  const v = goModView(GOMOD, 'module x\n\ngo 1.21\n', [old, other, newer])!;
  assert.equal(v.run.id, 'c');
  assert.deepEqual(v.findings, []);
  assert.equal(goModView('/w/none/go.mod', 'module x\n', [old, newer]), null);
});

test('findings: GO111MODULE=off on the module line; a switch and a toolchain not used on the toolchain line', () => {
  const off = goModView(GOMOD, 'module x\ngo 1.21\n', [run('a', [{ config: cfg({ config: [{ key: 'GO111MODULE', value: 'off', source: 'go env file', file: '/h/env' }] }) }])])!;
  assert.deepEqual(off.findings.map((f) => [f.code, f.line.line]), [['envtrace.go111moduleOff', 0]]);
  assert.match(off.findings[0].message, /^GO111MODULE=off \(go env file \/h\/env\): the last traced go command \(go build \.\/\.\.\.\) ignored this go\.mod/);
  const tc = (value: string) => [{ key: 'GOTOOLCHAIN', value, source: 'environment' as const }];
  const text = 'module x\ngo 1.21\ntoolchain go1.27.3\n';
  const switched = goModView(GOMOD, text, [run('a', [{ config: cfg({ config: tc('go1.27.3'), switchedTo: ['/m/go1.27.3/bin/go'] }) }])])!;
  assert.deepEqual(switched.findings.map((f) => [f.code, f.line.line]), [['envtrace.toolchainNotTraced', 2]]);
  const pinned = goModView(GOMOD, 'module x\ngo 1.21\n', [run('a', [{ config: cfg({ config: tc('go1.25.5') }) }])])!;
  assert.deepEqual(pinned.findings.map((f) => [f.code, f.message]), [['envtrace.toolchainNotUsed', 'GOTOOLCHAIN=go1.25.5 (environment) asks for go1.25.5, but the last traced go command ran go1.26.8']]);
  const local = goModView(GOMOD, text, [run('a', [{ config: cfg({ config: tc('local') }) }])])!;
  assert.deepEqual(local.findings.map((f) => f.message), ['this go.mod asks for go1.27.3, but the last traced go command ran go1.26.8 (GOTOOLCHAIN=local (environment) did not switch)']);
  const minimum = goModView(GOMOD, text, [run('a', [{ config: cfg({ config: tc('go1.25.0+auto'), goVersion: 'go1.27.3' }) }])])!;
  assert.deepEqual(minimum.findings, [], 'a +auto minimum met by a newer go is no finding');
});

test('a JSON report: go-command processes come back as go commands, not as programs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-gomod-report-'));
  try {
    const file = join(dir, 'r.json');
    const goCommand = { subcommand: 'env', args: ['GOFLAGS'], config: [{ key: 'GOFLAGS', value: '-v', source: 'environment' }, { nokey: 1 }], warnings: ['w'], goVersion: 'go1.26.8', switchedTo: ['/x/go'] };
    const processes = [
      { pid: 1, ppid: 0, parent: null, argv: ['go', 'env', 'GOFLAGS'], cwd: '/w', start: 3, end: 4, kind: 'go-command', goCommand },
      { pid: 2, ppid: 1, parent: 1, argv: ['app'], cwd: '/w', start: 5, end: 6 },
    ];
    writeFileSync(file, JSON.stringify({ version: 1, id: 'r', command: ['go'], cwd: '/w', exitCode: 0, processes, stacks: {}, events: [], vars: [] }));
    const seen: number[] = [];
    const r = await replayReport(file, { process: (p) => seen.push(p.pid) });
    assert.deepEqual(seen, [2]);
    assert.deepEqual(r.goCommands, [{ pid: 1, argv: ['go', 'env', 'GOFLAGS'], cwd: '/w', start: 3, config: { ...goCommand, config: [goCommand.config[0]] } }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
