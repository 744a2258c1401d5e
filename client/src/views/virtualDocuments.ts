/**
 * Read-only documents that envtrace renders (Compare Runs, Open Trace) under the `envtrace:`
 * scheme: never untitled, never dirty, never asked to be saved. Go file references in them
 * (`main.go:14`) are links to the line, resolved against the directory each document names.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

export const DOCUMENT_SCHEME = 'envtrace';

/** `file.go:LINE` as the trace and the diff print it. */
const goFileLine = /([\w./\\@+-]+\.go):(\d+)/g;

interface Rendered {
  text: string;
  /** Directory that relative file names resolve against. */
  base: string;
}

/** Content and links of the `envtrace:` documents. */
export class VirtualDocuments implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly docs = new Map<string, Rendered>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[];

  constructor() {
    this.subs = [
      vscode.workspace.registerTextDocumentContentProvider(DOCUMENT_SCHEME, this),
      vscode.languages.registerDocumentLinkProvider({ scheme: DOCUMENT_SCHEME }, this),
    ];
  }

  /**
   * Stores `text` as the document at `docPath` (its extension picks the language: `.md`,
   * `.envtrace`) and opens it; a document already open at that path is updated.
   */
  async open(docPath: string, text: string, base: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: DOCUMENT_SCHEME, path: docPath });
    this.docs.set(uri.toString(), { text, base });
    this.changed.fire(uri);
    return vscode.workspace.openTextDocument(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString())?.text ?? 'This envtrace document is no longer available: run the command again.\n';
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const rendered = this.docs.get(doc.uri.toString());
    if (!rendered || doc.languageId === 'markdown') return []; // Markdown carries its own links
    const links: vscode.DocumentLink[] = [];
    for (let i = 0; i < doc.lineCount; i++) {
      const line = doc.lineAt(i).text;
      for (const m of line.matchAll(goFileLine)) {
        const abs = path.isAbsolute(m[1]) ? m[1] : path.join(rendered.base, m[1]);
        const range = new vscode.Range(i, m.index ?? 0, i, (m.index ?? 0) + m[0].length);
        const link = new vscode.DocumentLink(range, vscode.Uri.file(abs).with({ fragment: `L${m[2]}` }));
        link.tooltip = `Open ${path.basename(abs)} at line ${m[2]}`;
        links.push(link);
      }
    }
    return links;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}
