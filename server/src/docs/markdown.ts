/** Markdown helpers for documents built from run data (untrusted text): escaping and file links. No `vscode` import. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Escapes text so that Markdown shows it literally (no links, emphasis or HTML). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** A Markdown link to `file` at `line` (relative files resolve against `base`). */
export function fileLink(file: string, line: number, base: string, label?: string): string {
  const abs = path.isAbsolute(file) ? file : path.join(base, file);
  const text = label ?? `${path.relative(base, abs) || abs}:${line}`;
  return `[${escapeMarkdown(text)}](${pathToFileURL(abs).href}#L${line})`;
}

/**
 * A Markdown link to `file` at `line` relative to the directory `from` (the document's own
 * folder), so that it keeps working once the document is committed or moved with the code.
 */
export function relativeFileLink(file: string, line: number, base: string, from: string): string {
  const abs = path.isAbsolute(file) ? file : path.join(base, file);
  const rel = path.relative(from, abs).split(path.sep).join('/');
  const label = `${path.relative(base, abs).split(path.sep).join('/') || abs}:${line}`;
  return `[${escapeMarkdown(label)}](${encodeURI(rel)}#L${line})`;
}

/** One line of plain text as Markdown, with each `file.go:LINE` turned into a link. */
export function linkifyLine(line: string, base: string): string {
  const re = /([\w./\\@+-]+\.go):(\d+)/g;
  let out = '';
  let last = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    out += escapeMarkdown(line.slice(last, m.index)) + fileLink(m[1], Number(m[2]), base, m[0]);
    last = m.index + m[0].length;
  }
  return out + escapeMarkdown(line.slice(last));
}
