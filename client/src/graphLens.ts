/** The "env dependency graph" lens on the package clause of a Go file that has env sites (the server's lenses say so). */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandIds } from './commandIds';
import { lineAt, packageClause } from './goTests';

/** The server's lenses of `doc`, with the package's graph lens first when it has any (tests excepted). */
export function withGraphLens(doc: vscode.TextDocument, lenses: vscode.CodeLens[] | null | undefined): vscode.CodeLens[] | null | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  if (!lenses?.length || !folder || doc.languageId !== 'go' || doc.uri.fsPath.endsWith('_test.go')) return lenses;
  const text = doc.getText();
  const pkg = packageClause.exec(text);
  if (!pkg) return lenses;
  const line = lineAt(text, pkg.index);
  const dir = path.relative(folder.uri.fsPath, path.dirname(doc.uri.fsPath)).split(path.sep).join('/');
  const lens = new vscode.CodeLens(new vscode.Range(line, 0, line, pkg[0].length), {
    title: 'env dependency graph',
    tooltip: 'Keys read in this package → the functions that use them → the calls their values reach, coloured by risk',
    command: commandIds.showDependencyGraph,
    arguments: [{ folderUri: folder.uri.toString(), dir }],
  });
  return [lens, ...lenses];
}
