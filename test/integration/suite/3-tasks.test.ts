/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, lensTitles } from '../helpers';

describe('tasks and trace lenses (trusted workspace)', () => {
  before(() => activate());

  it('offers envtrace tasks for the module, spawning the bundled CLI with the host\'s Node', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'envtrace' });
    const names = tasks.map((t) => t.name).sort();
    assert.deepEqual(names, ['go run .', 'go test ./...']);
    const exec = tasks[0].execution as vscode.ProcessExecution;
    assert.equal(exec.process, process.execPath);
    assert.match(exec.args[0], /dist[/\\]cli\.js$/);
    assert.equal(exec.args[1], 'run');
    assert.ok(exec.args.includes('--dir') && exec.args.includes('--'), exec.args.join(' '));
  });

  it('shows "trace" above each test and "trace package tests" on the package clause', async () => {
    assert.deepEqual(await lensTitles('main_test.go', 'func TestPort'), ['trace test']);
    assert.deepEqual(await lensTitles('main_test.go', 'func TestRegionDefault'), ['trace test']);
    assert.ok((await lensTitles('main_test.go', 'package main')).includes('trace package tests'));
  });
});
