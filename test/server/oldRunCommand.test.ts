/**
 * Runs recorded before command lines were redacted keep secret flags in clear in run.json.
 * Read back, their command is shown redacted (`<redacted>`, no hash: no key needed) by the
 * real CLI (runs, report, diff) and in the real language server's hover; a run recorded with
 * --no-redact (run.json `noRedact: true`) keeps its command in clear.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { RunsChangedNotification } from '../../server/src/protocol';
import { hoverMarkdown, unescapeMarkdown } from './assertions';
import { LspClient, removeDir, repoRoot, uriOf } from './lspClient';

const MAIN = 'package main\n\nimport "os"\n\nfunc main() {\n\t_ = os.Getenv("PORT")\n}\n';
const SECRETS = ['S3CR3T-old-1', 'S3CR3T-old-2', 'S3CR3T-old-3'];
/** The old run's command line, as a version before command-line redaction stored it. */
const OLD_COMMAND = ['go', 'run', '.', '--password=S3CR3T-old-1', '--api-token', 'S3CR3T-old-2', '-p', '8080', 'postgres://u:S3CR3T-old-3@db/x'];
const SHOWN = ['go', 'run', '.', '--password=<redacted>', '--api-token', '<redacted>', '-p', '8080', '<redacted>'];
/** A current run's command, redacted by the recorder's rules when stored: it stays as stored. */
const NEW_COMMAND = ['go', 'run', '.', '--password=<redacted h=0123456789abcdef n=6>', '-v'];

/** One stored run: run.json (`extra` fields added) and a process file with one read of PORT. */
function writeRun(ws: string, id: string, start: string, command: string[], extra: Record<string, unknown> = {}): void {
  const dir = join(ws, '.envtrace', 'runs', id);
  mkdirSync(dir, { recursive: true });
  // The old format: no pid, pidStart, host, goroot or gomodcache.
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ version: 1, id, label: null, command, cwd: ws, start, end: start, exitCode: 0, goVersion: 'go1.22.0', goos: 'linux', goarch: 'amd64', gitCommit: null, mode: 'run', ...extra }));
  const main = join(ws, 'main.go');
  const lines = [
    { t: 'P', v: 1, pid: 100, ppid: 1, parent: 0, run: id, argv: ['/tmp/main'], cwd: ws, go: 'go1.22.0', os: 'linux', arch: 'amd64', wall: 1.7e18, mono: 1e9, depth: 16, env: [] },
    { t: 'S', id: 1, f: [['os.Getenv', '/usr/local/go/src/os/env.go', 103], ['main.main', main, 6]] },
    { t: 'E', seq: 1, g: 1, pg: 0, op: 'getenv', k: 'PORT', ok: true, v: id === 'old1' ? '8080' : '9090', t0: 1e9 + 1000, t1: 1e9 + 2000, s: 1 },
  ];
  writeFileSync(join(dir, '100-1700000000000000000.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

function workspace(): string {
  const ws = join(mkdtempSync(join(tmpdir(), 'envtrace-oldcmd-')), 'ws');
  mkdirSync(ws);
  writeFileSync(join(ws, 'go.mod'), 'module example.com/oldcmd\n\ngo 1.21\n');
  writeFileSync(join(ws, 'main.go'), MAIN);
  writeRun(ws, 'old1', '2025-01-01T00:00:00.000Z', OLD_COMMAND);
  writeRun(ws, 'new1', '2025-01-02T00:00:00.000Z', NEW_COMMAND);
  writeRun(ws, 'clear1', '2025-01-03T00:00:00.000Z', ['go', 'run', '.', '--password=clear-by-choice'], { noRedact: true });
  return ws;
}

function cli(cwd: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `envtrace ${args.join(' ')}: ${r.stderr}`);
  return r.stdout + r.stderr;
}

function assertNoSecret(text: string, what: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${what} shows ${s}: ${text}`);
}

test('runs, report and diff show an old run.json command with its secret flags redacted; --no-redact runs stay in clear', () => {
  const ws = workspace();
  try {
    const runs = cli(ws, 'runs');
    assertNoSecret(runs, 'runs');
    assert.match(runs, /^old1 .* go run \. '--password=<redacted>' --api-token '<redacted>' -p 8080 '<redacted>'$/m);
    assert.match(runs, /^new1 .* go run \. '--password=<redacted h=0123456789abcdef n=6>' -v$/m, 'a redacted command is not redacted twice');
    assert.match(runs, /^clear1 .* go run \. --password=clear-by-choice$/m);
    const json = JSON.parse(cli(ws, 'runs', '--json')) as { id: string; command: string[] }[];
    assert.deepEqual(Object.fromEntries(json.map((r) => [r.id, r.command])), { old1: SHOWN, new1: NEW_COMMAND, clear1: ['go', 'run', '.', '--password=clear-by-choice'] });

    const report = cli(ws, 'report', '--format', 'json', 'old1');
    assertNoSecret(report, 'report --format json');
    assert.deepEqual(JSON.parse(report.slice(0, report.lastIndexOf('}') + 1)).command, SHOWN);
    assertNoSecret(cli(ws, 'report', 'old1'), 'report');

    const diff = cli(ws, 'diff', '--format', 'json', 'old1', 'new1');
    assertNoSecret(diff, 'diff --format json');
    assert.match(diff, /--password=<redacted>/);
    assertNoSecret(cli(ws, 'diff', 'old1', 'new1'), 'diff');
  } finally {
    removeDir(join(ws, '..'));
  }
});

test('the hover names the old run by its redacted command', async () => {
  const ws = workspace();
  const client = LspClient.start('server');
  client.settings = { runs: { show: 'all' } };
  try {
    await client.initialize(ws);
    await client.indexed();
    await client.waitFor(() => client.received.some((m) => m.method === RunsChangedNotification.method && (m.params as { shown: unknown[] }).shown.length === 3), 'the three runs shown');
    const uri = uriOf(join(ws, 'main.go'));
    await client.open(join(ws, 'main.go'));
    const hover = unescapeMarkdown(hoverMarkdown(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 9 } })));
    assertNoSecret(hover, 'the hover');
    assert.ok(hover.includes(`old1 — ${SHOWN.join(' ')}`), hover);
    assert.ok(hover.includes('clear1 — go run . --password=clear-by-choice'), hover);
  } finally {
    assert.equal(await client.stop(), 0, client.stderr);
    removeDir(join(ws, '..'));
  }
});

test('envtrace --no-redact records noRedact in run.json, and its command is shown as given', () => {
  const ws = join(mkdtempSync(join(tmpdir(), 'envtrace-noredact-')), 'ws');
  mkdirSync(ws);
  try {
    cli(ws, '--no-redact', '--quiet', '--', 'true', '--password=clear-by-choice');
    cli(ws, '--quiet', '--', 'true', '--password=S3CR3T-old-1');
    const runs = JSON.parse(cli(ws, 'runs', '--json')) as { command: string[]; noRedact?: boolean }[];
    const clear = runs.find((r) => r.noRedact === true);
    assert.deepEqual(clear?.command, ['true', '--password=clear-by-choice']);
    const redacted = runs.find((r) => r !== clear);
    assert.match(redacted?.command[1] ?? '', /^--password=<redacted h=[0-9a-f]{16} n=12>$/);
    assertNoSecret(JSON.stringify(runs), 'runs --json');
  } finally {
    removeDir(join(ws, '..'));
  }
});
