/// <reference types="mocha" />
// Issue 14, "In the editor": an `envtrace check` finding is a problem in main.go, and its quick
// fix "Add KEY to .env.example", applied through VS Code, writes the key into .env.example.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, open, waitFor, workspaceRoot } from '../helpers';

describe('envtrace check in the editor', () => {
  const example = () => path.join(workspaceRoot(), '.env.example');
  const checkProblems = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'envtrace check');
  const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

  before(async () => {
    await activate();
    // Declaring PORT makes the other keys main.go reads undeclared.
    fs.writeFileSync(example(), '# The port the service listens on.\nPORT=8080\n');
  });
  after(() => {
    fs.rmSync(example(), { force: true });
  });

  it('shows undeclared keys as problems and applies "Add KEY to .env.example"', async () => {
    const editor = await open('main.go');
    const uri = editor.document.uri;
    const problem = await waitFor('an undeclared-key problem on DATABASE_URL', () =>
      checkProblems(uri).find((d) => codeOf(d) === 'undeclared-key' && d.message.startsWith('DATABASE_URL ')),
    );
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.lineAt(problem.range.start.line).text.includes('os.Getenv("DATABASE_URL")'), true);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, problem.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Declare DATABASE_URL in envtrace.json'), titles.join(', '));
    assert.ok(titles.includes('Suppress undeclared-key on this line'), titles.join(', '));
    const add = actions.find((a) => a.title === 'Add DATABASE_URL to .env.example');
    assert.ok(add?.edit, titles.join(', '));
    assert.equal(await vscode.workspace.applyEdit(add.edit), true);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === example());
    assert.ok(doc, '.env.example is edited as a document');
    assert.equal(await doc.save(), true);

    const text = fs.readFileSync(example(), 'utf8');
    assert.ok(text.startsWith('# The port the service listens on.\nPORT=8080\n'), text);
    assert.match(text, /\n# DATABASE_URL: read in main\.go:\d+, no default in code\nDATABASE_URL=\n$/);
    await waitFor('the DATABASE_URL problem to go', () => !checkProblems(uri).some((d) => d.message.startsWith('DATABASE_URL ')));
  });

  it('answers in .env files too: the lens on a key names the code that reads it', async () => {
    fs.writeFileSync(example(), '# The port the service listens on.\nPORT=8080\n');
    const doc = await vscode.workspace.openTextDocument(example());
    await vscode.window.showTextDocument(doc);
    const lens = await waitFor('a lens on PORT in .env.example', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      return lenses.find((l) => l.range.start.line === 1 && l.command?.title.startsWith('PORT · '));
    });
    assert.match(lens.command?.title ?? '', /^PORT · read in /);
  });
});
