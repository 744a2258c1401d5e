/// <reference types="mocha" />
// Issue 12 in the editor: after a run whose go command resolved GO111MODULE=off from a go env
// file (GOENV: a temp file, never the user's), go.mod's module line has a lens saying so and the
// Environment view has a "Go command" group with that go command, its warning and its settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, lensTitles, traceRun, waitFor } from '../helpers';

describe('go.mod and the "Go command" group after a traced go command', () => {
  let tmp = '';
  let goenv = '';

  before(async function () {
    // The first traced run builds the overlay and the traced go command (the Go build cache is the caller's: test/harness/codeServer.mjs).
    this.timeout(900_000);
    await activate();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'envtrace-it-goenv-'));
    goenv = path.join(tmp, 'env');
    fs.writeFileSync(goenv, 'GO111MODULE=off\n');
    assert.equal((await traceRun(['go', 'env', 'GO111MODULE'], { GOENV: goenv })).exitCode, 0);
  });
  after(async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    await vscode.commands.executeCommand('envtrace.refresh');
  });

  it("go.mod's module line says what the last go command resolved, and where from", async () => {
    // Earlier suites' traced go commands (e.g. `go test .`) give the lens until this run is loaded.
    const lens = await waitFor('the go.mod module lens of go env', async () => (await lensTitles('go.mod', 'module')).find((t) => t.startsWith('last go command: go env')));
    assert.equal(lens, 'last go command: go env GO111MODULE · GO111MODULE="off" (go env file) · GOFLAGS="" (default)');
    const diag = await waitFor('the go.mod warning', () => vscode.languages.getDiagnostics().flatMap(([, d]) => d).find((d) => d.code === 'envtrace.go111moduleOff'));
    assert.ok(diag.message.startsWith(`GO111MODULE=off (go env file ${goenv})`), diag.message);
  });

  it('the Environment view lists the go command with its warning and its settings', async () => {
    const api = await activate();
    await waitFor('the Go command group', async () => (await api.viewItems()).some((i) => i.label === 'Go command'));
    const [cmd] = await api.viewItems('Go command');
    assert.equal(cmd.label, 'go env GO111MODULE');
    assert.match(cmd.description, /^pid \d+ · go1\.\d+(\.\d+)? · ⚠ 1 warning$/);
    const children = await api.viewItems('Go command', cmd.label);
    assert.match(children[0].label, /^GO111MODULE=off \(go env file .*\) inside the module .*go\.mod: go\.mod is ignored$/);
    const setting = children.find((c) => c.label === 'GO111MODULE');
    assert.equal(setting?.description, `"off" · go env file ${goenv}`);
  });
});
