/// <reference types="mocha" />
// Issue 18 items 2 and 3: Compare Runs and Open Trace are rendered, read-only documents.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, runDir, storedRuns, traceRun, waitFor } from '../helpers';

describe('read-only documents: Compare Runs and Open Trace', () => {
  let older = '';
  let newer = '';

  before(async () => {
    await activate();
    const known = new Set(storedRuns());
    assert.equal((await traceRun(['go', 'run', '.'], { PORT: '1111' })).exitCode, 0);
    older = storedRuns().find((d) => !known.has(d)) ?? '';
    known.add(older);
    // A run that fails: the traced program runs, then the command exits 3.
    assert.equal((await traceRun(['/bin/sh', '-c', 'go run . && exit 3'], { PORT: '2222' })).exitCode, 3);
    newer = storedRuns().find((d) => !known.has(d)) ?? '';
    assert.ok(older && newer, 'two new runs');
  });

  it('compares runs older first, with exit status, as a rendered read-only document', async () => {
    // Given newest first, as the pickers' order would give them.
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('envtrace.compareRuns', runDir(newer), runDir(older));
    assert.ok(doc);
    assert.equal(doc.uri.scheme, 'envtrace');
    assert.equal(doc.isUntitled, false);
    assert.equal(doc.isDirty, false);
    assert.equal(doc.languageId, 'markdown');
    const text = doc.getText();
    assert.ok(text.indexOf(older.replace(/-/g, '\\-')) < text.indexOf(newer.replace(/-/g, '\\-')), text);
    assert.match(text, /\| A \(older\) \|.*\| 0 \(passed\) \|/);
    assert.match(text, /\| B \(newer\) \|.*\| \*\*3 \(failed\)\*\* \|/);
    assert.match(text, /Exit status changed: 0 → 3/);
    assert.match(text, /1111.*→.*2222/);
    const preview = await waitFor('the Markdown preview of the comparison', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /markdown/i.test(t.input.viewType)),
    );
    assert.ok(preview);
    // Nothing asks to be saved: no untitled or dirty document was created.
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.isUntitled && d.getText().includes('envtrace')));
  });

  it('opens the trace read-only, with links to sites and the runtime reads last', async () => {
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('envtrace.openTrace', runDir(older));
    assert.ok(doc);
    assert.equal(doc.uri.scheme, 'envtrace');
    assert.equal(doc.isUntitled, false);
    assert.equal(doc.languageId, 'envtrace-trace');
    const lines = doc.getText().split('\n');
    const user = lines.map((l, i) => (/^\[\w+\] main\.go:\d+/.test(l) ? i : -1)).filter((i) => i >= 0);
    const runtime = lines.map((l, i) => (l.includes('(runtime)') ? i : -1)).filter((i) => i >= 0);
    assert.ok(user.length > 0 && runtime.length > 0, doc.getText());
    assert.ok(Math.max(...user) < Math.min(...runtime), 'runtime reads come after the program\'s reads');
    const links = (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri)) ?? [];
    const target = links.find((l) => l.target?.fsPath.endsWith('main.go'));
    assert.ok(target?.target, 'a link to main.go');
    assert.match(target.target.fragment, /^L\d+$/);
    assert.ok(fs.existsSync(target.target.fsPath));
    // `×` counts are not boxed as ambiguous characters in this language.
    const editor = vscode.workspace.getConfiguration('editor', { languageId: 'envtrace-trace' });
    assert.equal(editor.get('unicodeHighlight.ambiguousCharacters'), false);
  });

  it('does not open a trace for an imported JSON report', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'envtrace-it-docs-'));
    try {
      const report = path.join(tmp, 'report.json');
      await vscode.commands.executeCommand('envtrace.export', 'json', report, runDir(older));
      const imported = await vscode.commands.executeCommand<string>('envtrace.importRun', report);
      assert.ok(imported);
      try {
        assert.equal(await vscode.commands.executeCommand('envtrace.openTrace', imported), undefined);
      } finally {
        // The server shows an import until it restarts: leave none for the next tests.
        fs.rmSync(imported, { force: true });
        assert.equal(await vscode.commands.executeCommand('envtrace.restartServer'), true);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
