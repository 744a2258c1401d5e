/** The `trace` code lenses above Go tests and `trace package tests` on the package clause of test files. */
import * as vscode from 'vscode';
import { commandIds } from './commandIds';
import { readConfig } from './config';
import { findTests, lineAt, packageClause } from './goTests';

/** Provides the trace lenses in trusted workspaces while `envtrace.codeLens.enabled` is on. */
export class TestLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subs = [
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('envtrace.codeLens') && this.changed.fire()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
  ];

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || !doc.uri.fsPath.endsWith('_test.go')) return [];
    if (!readConfig(vscode.workspace.getConfiguration('envtrace', doc.uri))['codeLens.enabled']) return [];
    const text = doc.getText();
    const lenses: vscode.CodeLens[] = [];
    const pkg = packageClause.exec(text);
    if (pkg) {
      const range = new vscode.Range(lineAt(text, pkg.index), 0, lineAt(text, pkg.index), pkg[0].length);
      lenses.push(new vscode.CodeLens(range, { title: 'trace package tests', command: commandIds.tracePackageTests, arguments: [doc.uri] }));
    }
    for (const t of findTests(text)) {
      lenses.push(new vscode.CodeLens(new vscode.Range(t.line, 0, t.line, 0), { title: 'trace test', command: commandIds.traceTest, arguments: [doc.uri, t.name] }));
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}
