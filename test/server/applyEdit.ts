/**
 * Applies a WorkspaceEdit the server returned to the real files, the way an editor does:
 * `documentChanges` in order (CreateFile, TextDocumentEdit), or `changes`. Returns the paths it wrote.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Position, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';

function offsetOf(text: string, p: Position): number {
  const lines = text.split('\n');
  if (p.line >= lines.length) return text.length;
  let at = 0;
  for (let i = 0; i < p.line; i++) at += lines[i].length + 1;
  return at + Math.min(p.character, lines[p.line].length);
}

function applyTextEdits(path: string, edits: readonly TextEdit[]): void {
  let text = readFileSync(path, 'utf8');
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  for (const e of sorted) text = text.slice(0, offsetOf(text, e.range.start)) + e.newText + text.slice(offsetOf(text, e.range.end));
  writeFileSync(path, text);
}

/** Applies `edit` to disk. */
export function applyWorkspaceEdit(edit: WorkspaceEdit): string[] {
  const written: string[] = [];
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind !== 'create') throw new Error(`unexpected ${change.kind}`);
      const path = fileURLToPath(change.uri);
      if (!existsSync(path) || !change.options?.ignoreIfExists) writeFileSync(path, '');
      written.push(path);
    } else {
      const path = fileURLToPath(change.textDocument.uri);
      applyTextEdits(path, change.edits as TextEdit[]);
      written.push(path);
    }
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    applyTextEdits(fileURLToPath(uri), edits);
    written.push(fileURLToPath(uri));
  }
  return written;
}
