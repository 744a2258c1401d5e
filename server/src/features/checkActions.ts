/**
 * Quick fixes for `envtrace check` diagnostics: declare an undeclared key in `.env.example`
 * (with the default the scanner found and a comment) or in `envtrace.json`, and suppress any
 * rule on a line with the comment the engine honours (check/suppress.ts). Pure: the caller
 * passes the texts and what exists; the edits are WorkspaceEdits with `documentChanges`.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CreateFile,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { DECLARING_FILES } from '../check/declared';
import { ignoreComment, IGNORE_MARKER } from '../check/suppress';
import { isSecretKey, isSecretValue } from '../tracer/secrets';
import { CHECK_SOURCE, CONFIG_CODE, type CheckDiagnosticData } from './checkDiagnostics';
import { declareInConfig, newConfigText } from './jsonDeclare';

/** The config file the fixes edit or create. */
export const CONFIG_FILE = 'envtrace.json';

/** What the fixes read about the folder of the document. */
export interface CheckFixContext {
  /** The document's path relative to the folder root (`/`), and its URI and text. */
  file: string;
  uri: string;
  text: string;
  /** URI of a folder-relative path. */
  uriOf(file: string): string;
  /** Text of a folder-relative file (the open document's when open), or null when it does not exist. */
  textOf(file: string): string | null;
  /** Redaction patterns of secret keys (the user's, added to the built-in ones). */
  secretPatterns: readonly string[];
  /** The default the code gives `key` at a non-test site, or null. */
  defaultOf(key: string): string | null;
}

/** A dotenv value as written in `.env.example`: bare when plain, else double-quoted. */
function dotenvValue(v: string): string {
  return /^[A-Za-z0-9_./:@,+=-]*$/.test(v) ? v : JSON.stringify(v);
}

/** The insertion at the end of `text` (a newline first when the last line has none). */
function append(text: string, added: string): TextEdit {
  const lines = text.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
  return { range: { start: end, end }, newText: (text === '' || text.endsWith('\n') ? '' : '\n') + added };
}

/** A WorkspaceEdit that edits `file` (creating it with `created` as text when it does not exist). */
function fileEdit(ctx: CheckFixContext, file: string, existing: (text: string) => TextEdit | null, created: string): WorkspaceEdit | null {
  const uri = ctx.uriOf(file);
  const text = ctx.textOf(file);
  if (text === null) {
    const create: CreateFile = { kind: 'create', uri, options: { ignoreIfExists: true } };
    const at = { line: 0, character: 0 };
    const fill: TextDocumentEdit = { textDocument: { uri, version: null }, edits: [{ range: { start: at, end: at }, newText: created }] };
    return { documentChanges: [create, fill] };
  }
  const edit = existing(text);
  return edit && { documentChanges: [{ textDocument: { uri, version: null }, edits: [edit] }] };
}

function action(title: string, d: Diagnostic, edit: WorkspaceEdit | null, preferred = false): CodeAction[] {
  return edit ? [{ title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit, ...(preferred ? { isPreferred: true } : {}) }] : [];
}

/** The quick fixes that declare an undeclared key. */
function declareFixes(d: Diagnostic, key: string, ctx: CheckFixContext): CodeAction[] {
  const line = d.range.start.line + 1;
  const secret = isSecretKey(key, ctx.secretPatterns);
  const found = ctx.defaultOf(key);
  // A secret's default is never written to a committed file.
  const value = found !== null && !secret && !isSecretValue(found) ? found : null;
  const where = `read in ${ctx.file.replace(/[\u0000-\u001f\u007f]/g, '?')}:${line}`;
  const envFile = DECLARING_FILES.find((f) => ctx.textOf(f) !== null) ?? DECLARING_FILES[0];
  const envLines = `# ${key}: ${where}${value === null ? (found !== null ? ' (its default is not shown: secret)' : ', no default in code') : ', default in code'}\n${key}=${value === null ? '' : dotenvValue(value)}\n`;
  const entry: Record<string, unknown> = { description: where, ...(value !== null ? { default: value } : {}), ...(secret ? { secret: true } : {}) };
  const toConfig = fileEdit(
    ctx,
    CONFIG_FILE,
    (text) => {
      const ins = declareInConfig(text, key, entry);
      if (!ins) return null;
      const before = text.slice(0, ins.offset).split('\n');
      const at = { line: before.length - 1, character: before[before.length - 1].length };
      return { range: { start: at, end: at }, newText: ins.text };
    },
    newConfigText(key, entry),
  );
  return [...action(`Add ${key} to ${envFile}`, d, fileEdit(ctx, envFile, (text) => append(text, envLines), envLines), true), ...action(`Declare ${key} in ${CONFIG_FILE}`, d, toConfig)];
}

/** The comment that opens a suppression in the document's language, or null where there are no comments. */
function commentLead(file: string): string | null {
  if (file.endsWith('.go')) return '//';
  const name = file.slice(file.lastIndexOf('/') + 1);
  return name.startsWith('.env') || name.endsWith('.env') ? '#' : null;
}

/** The quick fix that suppresses `rule` on the diagnostic's line: extends a comment there or above, else adds one above. */
function suppressFix(d: Diagnostic, rule: string, ctx: CheckFixContext): CodeAction[] {
  const lead = commentLead(ctx.file);
  if (lead === null) return [];
  const lines = ctx.text.split('\n');
  const line = d.range.start.line;
  const edits: TextEdit[] = [];
  for (const l of [line, line - 1]) {
    const c = l >= 0 && l < lines.length ? ignoreComment(lines[l]) : null;
    if (c === null) continue;
    const at = { line: l, character: c.listEnd };
    edits.push({ range: { start: at, end: at }, newText: `,${rule}` });
    break;
  }
  if (!edits.length) {
    const indent = /^[ \t]*/.exec(lines[line] ?? '')![0];
    const at = { line, character: 0 };
    edits.push({ range: { start: at, end: at }, newText: `${indent}${lead} ${IGNORE_MARKER} ${rule}\n` });
  }
  return action(`Suppress ${rule} on this line`, d, { documentChanges: [{ textDocument: { uri: ctx.uri, version: null }, edits }] });
}

/** The quick fixes for the check diagnostics among `diagnostics` (those the client sent for a range). */
export function checkCodeActions(diagnostics: readonly Diagnostic[], ctx: CheckFixContext): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== CHECK_SOURCE || typeof d.code !== 'string' || d.code === CONFIG_CODE) continue;
    const data = d.data as Partial<CheckDiagnosticData> | undefined;
    const key = typeof data?.key === 'string' ? data.key : null;
    // Only a plain name can be written as a dotenv line or a config key a person reads.
    if (d.code === 'undeclared-key' && key !== null && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) out.push(...declareFixes(d, key, ctx));
    out.push(...suppressFix(d, d.code, ctx));
  }
  return out;
}
