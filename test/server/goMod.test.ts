// go.mod in the editor (issue 12): lenses, hovers and diagnostics from runs recorded by a real
// traced go command (`envtrace -- go …` with the real toolchain), read over a real JSON-RPC
// connection. GOENV always points to a temp file, never the user's.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { unescapeMarkdown } from './assertions';
import { LspClient, removeDir, repoRoot } from './lspClient';
import { Views } from './runtimeSupport';

const toolchains = readFileSync(join(repoRoot, 'test', 'fixtures', 'go', 'toolchains.txt'), 'utf8').split('\n').filter(Boolean);
const dirs: string[] = [];
after(() => dirs.forEach(removeDir));

/** A module (test/fixtures/cli/app) in a temp dir with `goMod` as its go.mod and a go env file holding `goenvText`. */
function workspace(goMod: string | null, goenvText: string): { app: string; goenv: string } {
  const base = mkdtempSync(join(tmpdir(), 'envtrace-gomod-'));
  dirs.push(base);
  const app = join(base, 'app');
  cpSync(join(repoRoot, 'test', 'fixtures', 'cli', 'app'), app, { recursive: true });
  if (goMod !== null) writeFileSync(join(app, 'go.mod'), goMod);
  const goenv = join(base, 'goenv');
  writeFileSync(goenv, goenvText);
  return { app, goenv };
}

/** `envtrace --quiet -- cmd…` in `cwd` (the real CLI, the real go); resolves with its exit status and stderr. */
function trace(cwd: string, cmd: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [join(repoRoot, 'dist', 'cli.js'), '--quiet', '--', ...cmd], { cwd, env: { ...process.env, GOFLAGS: '', ...env } }, (err, _out, stderr) =>
      res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

/** A server on `app` (its runs already recorded), the views, and the go.mod diagnostics once pushed. */
async function serve(app: string): Promise<{ client: LspClient; v: Views }> {
  const client = LspClient.start('server');
  await client.initialize(app);
  await client.indexed();
  return { client, v: new Views(client, app) };
}

const codes = (d: Diagnostic[]) => d.map((x) => x.code);

describe('go.mod: what the last traced go command resolved', () => {
  test('GO111MODULE=off in a go env file: lens and hover on the module line name the file; a warning says go.mod is ignored', { timeout: 600_000 }, async () => {
    const { app, goenv } = workspace(null, 'GO111MODULE=off\n');
    const r = await trace(app, ['go', 'build', '-o', join(app, '..', 'app.bin'), './...'], { GOENV: goenv });
    assert.doesNotMatch(r.stderr, /go command itself is not traced/);
    const { client, v } = await serve(app);
    try {
      const lenses = await v.lenses('go.mod');
      const moduleLens = lenses.get(v.line('go.mod', 'module'))!;
      assert.match(moduleLens, /^last go command: go build -o \S+ \.\/\.\.\. · GO111MODULE="off" \(go env file\) · GOFLAGS="" \(default\)/);
      assert.match(lenses.get(v.line('go.mod', 'go 1.21'))!, /^last go command: go build .* · ran go1\.\d+(\.\d+)? · GOTOOLCHAIN=/);
      const hover = unescapeMarkdown(await v.hover('go.mod', 'module', 0));
      assert.match(hover, /^\*\*Last traced go command\*\*: go build -o \S+ \.\/\.\.\. \(pid \d+, run /);
      assert.ok(hover.includes(`| GO111MODULE | "off" | go env file ${goenv} |`), hover);
      assert.ok(hover.includes('⚠ GO111MODULE=off (go env file'), hover);
      const d = await v.waitDiagnostics('go.mod', (x) => x.length > 0);
      assert.deepEqual(codes(d), ['envtrace.go111moduleOff']);
      assert.equal(d[0].range.start.line, v.line('go.mod', 'module'));
      assert.ok(String(d[0].message).startsWith(`GO111MODULE=off (go env file ${goenv}): the last traced go command (go build -o `), String(d[0].message));
      assert.equal(await v.hover('go.mod', 'envapp', 0), await v.hover('go.mod', 'module', 0), 'the whole line hovers');
      assert.equal(lenses.size, 2, 'module and go lines (no toolchain line)');
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  test('a switch of GOTOOLCHAIN to another toolchain: the go line says it was not traced', { timeout: 600_000 }, async () => {
    const v0 = toolchains[toolchains.length - 1];
    const { app, goenv } = workspace(null, '');
    const script = join(app, '..', 'switch.sh');
    writeFileSync(script, `#!/bin/sh\nexport GOTOOLCHAIN=go${v0}\nexec go env GOVERSION\n`, { mode: 0o755 });
    assert.equal((await trace(app, [script], { GOENV: goenv })).code, 0);
    const { client, v } = await serve(app);
    try {
      const d = await v.waitDiagnostics('go.mod', (x) => x.length > 0);
      assert.deepEqual(codes(d), ['envtrace.toolchainNotTraced']);
      assert.equal(d[0].range.start.line, v.line('go.mod', 'go 1.21'));
      assert.match(String(d[0].message), new RegExp(`^GOTOOLCHAIN=go${v0.replace(/\./g, '\\.')} \\(environment\\): the go command switched to \\S+, which envtrace did not trace`));
      const lens = (await v.lenses('go.mod')).get(v.line('go.mod', 'go 1.21'))!;
      assert.ok(lens.includes(`GOTOOLCHAIN="go${v0}" (environment)`), lens);
      const hover = unescapeMarkdown(await v.hover('go.mod', 'go 1.21', 0));
      assert.ok(hover.includes(`| GOTOOLCHAIN | "go${v0}" | environment |`), hover);
      assert.ok(hover.includes('⚠ switched toolchain: ran '), hover);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  test('a toolchain line that GOTOOLCHAIN=local keeps from taking effect: a warning on the toolchain line', { timeout: 600_000 }, async () => {
    const { app, goenv } = workspace('module example.com/envapp\n\ngo 1.21\n\ntoolchain go1.99.1\n', '');
    assert.equal((await trace(app, ['go', 'env', 'GOVERSION'], { GOENV: goenv, GOTOOLCHAIN: 'local' })).code, 0);
    const { client, v } = await serve(app);
    try {
      const d = await v.waitDiagnostics('go.mod', (x) => x.length > 0);
      assert.deepEqual(codes(d), ['envtrace.toolchainNotUsed']);
      assert.equal(d[0].range.start.line, v.line('go.mod', 'toolchain'));
      assert.match(String(d[0].message), /^this go\.mod asks for go1\.99\.1, but the last traced go command ran go1\.\d+\.\d+ \(GOTOOLCHAIN=local \(environment\) did not switch\)$/);
      const lens = (await v.lenses('go.mod')).get(v.line('go.mod', 'toolchain'))!;
      assert.match(lens, /^last go command: go env GOVERSION · ran go1\.\d+\.\d+ · GOTOOLCHAIN="local" \(environment\)$/);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
