/**
 * A hostile clone (issue 10): Go files and run files that are not regular files (symlinks to
 * /dev/zero and /dev/urandom, FIFOs), a Go file symlinked from outside the workspace, and run
 * data full of terminal escapes. The real CLI and the real language server must finish or
 * keep answering, with a clear note, within a small heap (a reader that grows without bound
 * dies there instead of passing slowly), and print no control character raw.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CodeLens, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { RunsChangedNotification } from '../../server/src/protocol';
import { hoverMarkdown, titlesByLine } from './assertions';
import { LspClient, removeDir, repoRoot, uriOf } from './lspClient';

/** A heap the readers fit in many times over; the old run reader needed 4 GB for /dev/zero. */
const HEAP = '--max-old-space-size=192';
/** Only so that a hang fails the test instead of the whole suite; no assertion is about time. */
const HANG_GUARD_MS = 180_000;

const ESC = '\x1b';
const OSC_TITLE = `${ESC}]0;pwned\x07`;
const CLEAR = `${ESC}[2J`;
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/; // anything but \t and \n…
const RAW_IN_LINE = /[\x00-\x08\x0a-\x1f\x7f]/; // …and \n too, inside one line

const MAIN = 'package main\n\nimport "os"\n\nfunc main() {\n\t_ = os.Getenv("PORT")\n\tk := "K"\n\t_ = os.Getenv(k)\n\tos.Setenv("BAD", "x")\n}\n';
const GOROOT_ENV = '/usr/local/go/src/os/env.go';

/** The hostile workspace: see the file comment. Returns the workspace directory. */
function hostileWorkspace(): string {
  const base = mkdtempSync(join(tmpdir(), 'envtrace-hostile-'));
  const ws = join(base, 'ws');
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'out.go'), 'package main\n\nimport "os"\n\nvar X = os.Getenv("OUTSIDE_SECRET_PLACE")\n');
  mkdirSync(ws);
  writeFileSync(join(ws, 'go.mod'), 'module example.com/hostile\n\ngo 1.21\n');
  writeFileSync(join(ws, 'main.go'), MAIN);
  writeFileSync(join(ws, `esc${CLEAR}.go`), 'package main\n\nimport "os"\n\nvar E = os.Getenv("ESC\\x1b]0;t\\x07")\n');
  symlinkSync('/dev/zero', join(ws, 'zero.go'));
  execFileSync('mkfifo', [join(ws, 'fifo.go'), join(ws, '.env')]);
  symlinkSync(join(base, 'outside', 'out.go'), join(ws, 'out.go'));
  symlinkSync(join(base, 'outside'), join(ws, 'linkdir')); // a directory walk does not descend into it

  const r1 = join(ws, '.envtrace', 'runs', 'r1');
  mkdirSync(r1, { recursive: true });
  writeFileSync(join(r1, 'run.json'), JSON.stringify({ version: 1, id: 'r1', label: `lab${OSC_TITLE}`, command: ['go', 'run', `.${CLEAR}`], cwd: ws, start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:00:01Z', exitCode: 0, mode: 'run' }));
  const main = join(ws, 'main.go');
  const lines = [
    { t: 'P', v: 1, pid: 100, ppid: 1, parent: 0, run: 'r1', argv: ['/tmp/main', `--title=${OSC_TITLE}`], cwd: ws, go: 'go1.26', os: 'linux', arch: 'amd64', wall: 1.7e18, mono: 1e9, depth: 16, env: [] },
    { t: 'S', id: 1, f: [['os.Getenv', GOROOT_ENV, 103], ['main.main', main, 6]] },
    { t: 'S', id: 2, f: [['os.Getenv', GOROOT_ENV, 103], ['main.main', main, 8]] },
    { t: 'S', id: 3, f: [['os.Setenv', GOROOT_ENV, 120], ['main.main', main, 9]] },
    { t: 'S', id: 4, f: [['os.Getenv', GOROOT_ENV, 103], ['main.weird', join(ws, `we\nird${CLEAR}.go`), 1.5]] },
    { t: 'S', id: 5, f: [['os.Getenv', GOROOT_ENV, 103], ['main.huge', main, 1e12]] },
    { t: 'E', seq: 1, g: 1, pg: 0, op: 'getenv', k: 'PORT', ok: true, v: '8080', t0: 1e9 + 1000, t1: 1e9 + 2000, s: 1 },
    { t: 'E', seq: 2, g: 1, pg: 0, op: 'getenv', k: `EVIL${OSC_TITLE}${CLEAR}`, ok: true, v: 'v', t0: 1e9 + 3000, t1: 1e9 + 4000, s: 2 },
    { t: 'E', seq: 3, g: 1, pg: 0, op: 'setenv', k: 'BAD', ok: false, v: 'x', err: 'invalid argument', t0: 1e9 + 5000, t1: 1e9 + 6000, s: 3 },
    { t: 'E', seq: 4, g: 1, pg: 0, op: 'getenv', k: 'LINE', ok: true, v: 'l', t0: 1e9 + 7000, t1: 1e9 + 8000, s: 4 },
    { t: 'E', seq: 5, g: 1, pg: 0, op: 'getenv', k: 'HUGE', ok: true, v: 'h', t0: 1e9 + 9000, t1: 1e9 + 9500, s: 5 },
  ];
  writeFileSync(join(r1, '100-1700000000000000000.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  symlinkSync('/dev/zero', join(r1, '101-1700000000000000001.jsonl'));
  symlinkSync('/dev/urandom', join(r1, '102-1700000000000000002.jsonl'));
  execFileSync('mkfifo', [join(r1, '103-1700000000000000003.jsonl')]);
  // A run whose run.json is a FIFO (newer, so a reader that hangs on it hangs first).
  mkdirSync(join(ws, '.envtrace', 'runs', 'r2'));
  execFileSync('mkfifo', [join(ws, '.envtrace', 'runs', 'r2', 'run.json')]);
  return ws;
}

/** Runs the real CLI bundle in `cwd` with a small heap. */
function cli(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [HEAP, join(repoRoot, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', timeout: HANG_GUARD_MS });
  assert.equal(r.error, undefined, `envtrace ${args.join(' ')} did not finish: ${r.error?.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertNoRawControls(text: string, what: string): void {
  assert.doesNotMatch(text, RAW_CONTROL, `${what} holds a raw control character: ${JSON.stringify(text)}`);
}

test('envtrace scan skips /dev/zero, a FIFO and a symlink out of the workspace, each with a note', () => {
  const ws = hostileWorkspace();
  try {
    const r = cli(ws, 'scan');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^main\.go:6:\d+ {2}read {2}PORT {2}os\.Getenv$/m);
    assert.doesNotMatch(r.stdout, /OUTSIDE_SECRET_PLACE/, 'the file outside the workspace is not read');
    assertNoRawControls(r.stdout + r.stderr, 'scan');
    assert.match(r.stdout, /^esc\\u001b\[2J\.go:5:\d+ {2}read {2}ESC\\u001b\]0;t\\u0007 {2}os\.Getenv$/m, 'a file name and a key with escapes are written out');
    assert.match(r.stderr, /skipped .*zero\.go: a symlink to \/dev\/zero, outside .* \(not followed\)/);
    assert.match(r.stderr, /skipped .*fifo\.go: not a regular file \(a FIFO\)/);
    assert.match(r.stderr, /skipped .*out\.go: a symlink to .*outside\/out\.go, outside /);
  } finally {
    removeDir(join(ws, '..'));
  }
});

test('envtrace scan of a FIFO, a device link or a non-Go file named directly says why it scanned nothing', () => {
  const ws = hostileWorkspace();
  try {
    execFileSync('mkfifo', [join(ws, 'pipe')]);
    writeFileSync(join(ws, 'notes.txt'), 'package main\n');
    const cases: [string, RegExp][] = [
      ['fifo.go', /^envtrace: skipped .*\/fifo\.go: not a regular file \(a FIFO\)$/],
      ['zero.go', /^envtrace: skipped .*\/zero\.go: a symlink to \/dev\/zero, outside .* \(not followed\)$/],
      ['pipe', /^envtrace: skipped .*\/pipe: not a Go file or a directory$/],
      ['notes.txt', /^envtrace: skipped .*\/notes\.txt: not a Go file or a directory$/],
    ];
    for (const [name, note] of cases) {
      for (const args of [['scan', name], ['scan', '--json', name]]) {
        const r = cli(ws, ...args);
        assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr.trimEnd(), note, args.join(' '));
        if (args[1] === '--json') assert.equal(JSON.parse(r.stdout).files, 0);
        else assert.equal(r.stdout, '');
      }
    }
    // Named beside a good file, the FIFO is noted and the good file scanned.
    const both = cli(ws, 'scan', 'fifo.go', 'main.go');
    assert.equal(both.status, 0, both.stderr);
    assert.match(both.stdout, /^main\.go:6:\d+ {2}read {2}PORT {2}os\.Getenv$/m);
    assert.match(both.stderr, /skipped .*fifo\.go: not a regular file \(a FIFO\)/);
    const missing = cli(ws, 'scan', 'gone.go');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^envtrace: scan: no such file or directory: .*\/gone\.go\n$/);
  } finally {
    removeDir(join(ws, '..'));
  }
});

test('envtrace report and diff read the good process file, note each skipped one, and print no control character raw', () => {
  const ws = hostileWorkspace();
  try {
    const report = cli(ws, 'report', 'r1');
    assert.equal(report.status, 0, report.stderr);
    const out = report.stdout + report.stderr;
    for (const line of out.split('\n')) assert.doesNotMatch(line, RAW_IN_LINE, `a line of report holds a raw control: ${JSON.stringify(line)}`);
    assert.match(out, /\[GETENV\] main\.go:6 → os\.Getenv\("PORT"\) → value="8080"/);
    assert.match(out, /EVIL\\u001b\]0;pwned\\u0007\\u001b\[2J/, 'the key is shown with its escapes written out');
    assert.match(out, /\[SETENV\] main\.go:9 → os\.Setenv\("BAD", …\) → failed/, 'a failed Setenv shows as failed');
    assert.match(out, /we\\nird\\u001b\[2J\.go:\(invalid line\)/, 'a newline in a path stays inside its line; a fractional line is invalid');
    assert.match(out, /main\.go:\(invalid line\) → os\.Getenv\("HUGE"\)/, 'a huge line is invalid');
    assert.match(out, /3 process files not readable/);
    assert.match(out, /skipped 101-1700000000000000001\.jsonl: a symlink to \/dev\/zero, outside /);
    assert.match(out, /skipped 102-1700000000000000002\.jsonl: a symlink to \/dev\/urandom, outside /);
    assert.match(out, /skipped 103-1700000000000000003\.jsonl: not a regular file \(a FIFO\)/);

    const fifoRun = cli(ws, 'report', 'r2');
    assert.equal(fifoRun.status, 2);
    assert.match(fifoRun.stderr, /^envtrace: .*r2\/run\.json: not a regular file \(a FIFO\)\n$/);

    const same = cli(ws, 'diff', 'r1', 'r1');
    assert.equal(same.status, 0, same.stderr);
    assert.match(same.stdout, /no differences/);
    assert.match(same.stderr, /^envtrace: A: 101-1700000000000000001\.jsonl: a symlink to \/dev\/zero/m);
    // r3: r1's good process file with other values, so the escape-laden key is printed.
    const r1 = join(ws, '.envtrace', 'runs', 'r1');
    const r3 = join(ws, '.envtrace', 'runs', 'r3');
    mkdirSync(r3);
    writeFileSync(join(r3, 'run.json'), readFileSync(join(r1, 'run.json'), 'utf8').replace('"r1"', '"r3"'));
    writeFileSync(join(r3, '100-1700000000000000000.jsonl'), readFileSync(join(r1, '100-1700000000000000000.jsonl'), 'utf8').replace(/"v":"v"/, '"v":"w"'));
    const diff = cli(ws, 'diff', 'r1', 'r3');
    assert.equal(diff.status, 0, diff.stderr);
    assertNoRawControls(diff.stdout + diff.stderr, 'diff');
    assert.match(diff.stdout, /^~ EVIL\\u001b\]0;pwned\\u0007\\u001b\[2J +values changed: "v" \(×1\) → "w" \(×1\)$/m);
    assert.match(diff.stdout, /^B: r3 \(lab\\u001b\]0;pwned\\u0007\) · exit 0$/m);

    const runs = cli(ws, 'runs');
    assert.equal(runs.status, 0, runs.stderr);
    assertNoRawControls(runs.stdout + runs.stderr, 'runs');
    assert.match(runs.stdout, /^r1 .* lab\\u001b\]0;pwned\\u0007 +go run '\.\\u001b\[2J'$/m);
  } finally {
    removeDir(join(ws, '..'));
  }
});

test('envtrace report --format json lists each skipped file in problems.notes; an imported report keeps them', () => {
  const ws = hostileWorkspace();
  try {
    const report = cli(ws, 'report', '--format', 'json', 'r1');
    assert.equal(report.status, 0, report.stderr);
    const problems = JSON.parse(report.stdout).problems;
    assert.deepEqual(Object.keys(problems), ['badLines', 'lostEvents', 'unreadableFiles', 'notes']);
    const notes: string[] = problems.notes;
    assert.equal(notes.length, 3, notes.join('\n'));
    assert.match(notes[0], /^101-1700000000000000001\.jsonl: a symlink to \/dev\/zero, outside /);
    assert.match(notes[1], /^102-1700000000000000002\.jsonl: a symlink to \/dev\/urandom, outside /);
    assert.equal(notes[2], '103-1700000000000000003.jsonl: not a regular file (a FIFO)');
    // The same notes as the text report's `envtrace: skipped …` lines.
    const text = cli(ws, 'report', 'r1');
    const skipped = (text.stdout + text.stderr).split('\n').filter((l) => l.startsWith('envtrace: skipped ')).map((l) => l.slice('envtrace: skipped '.length));
    assert.deepEqual(skipped, notes);

    // The saved report, read back by diff, still says what its run skipped.
    const saved = join(ws, '..', 'r1.json');
    writeFileSync(saved, report.stdout);
    const diff = cli(ws, 'diff', saved, 'r1');
    assert.equal(diff.status, 0, diff.stderr);
    assert.match(diff.stderr, /^envtrace: A: 101-1700000000000000001\.jsonl: a symlink to \/dev\/zero/m);
  } finally {
    removeDir(join(ws, '..'));
  }
});

test('the language server on the hostile clone keeps answering lenses and hovers, with escapes written out', async () => {
  const ws = hostileWorkspace();
  const client = LspClient.start('server', [HEAP]);
  try {
    await client.initialize(ws);
    await client.indexed();
    await client.waitFor(() => client.received.some((m) => m.method === RunsChangedNotification.method && (m.params as { shown: unknown[] }).shown.length > 0), 'the run shown');
    const uri = uriOf(join(ws, 'main.go'));
    await client.open(join(ws, 'main.go'));
    const lenses = titlesByLine(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }));
    assert.match(lenses.get(5) ?? '', /^PORT = "8080"/);
    assert.match(lenses.get(7) ?? '', /EVIL\\u001b\]0;pwned\\u0007/);
    assert.match(lenses.get(8) ?? '', /^BAD ← failed "x"/, 'a failed Setenv shows as failed in its lens');
    for (const t of lenses.values()) assertNoRawControls(t, 'a lens title');
    const hover = hoverMarkdown(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 9 } }));
    assert.match(hover, /pid 100/);
    assertNoRawControls(hover, 'the hover');
    assert.match(hover, /u001b/, 'the process line shows the escape written out');
    const write = hoverMarkdown(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 8, character: 5 } }));
    assert.match(write, /failed setenv/, 'a failed Setenv shows as failed in the hover');
    const diags = client.received.filter((m) => m.method === 'textDocument/publishDiagnostics').flatMap((m) => (m.params as { diagnostics: Diagnostic[] }).diagnostics);
    for (const d of diags) assertNoRawControls(d.message + (d.relatedInformation ?? []).map((r) => r.message).join(''), 'a diagnostic');

    // The FIFO named .env, announced as changed, is not read (and does not block the server).
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(ws, '.env')), type: 2 }, { uri: uriOf(join(ws, 'fifo.go')), type: 2 }, { uri: uriOf(join(ws, 'zero.go')), type: 2 }] });
    const again = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(again.length >= 3, 'lenses still answered after the FIFOs were announced');
    const outside = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(join(ws, 'out.go')) } });
    assert.deepEqual(outside, [], 'the file symlinked from outside the workspace is not indexed');
  } finally {
    assert.equal(await client.stop(), 0, client.stderr);
    removeDir(join(ws, '..'));
  }
});
