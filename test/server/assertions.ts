/** Helpers for reading LSP results in server tests. */
import type { CodeLens, Hover, MarkupContent } from 'vscode-languageserver-protocol';

/** Lens titles by 0-based line. */
export function titlesByLine(lenses: CodeLens[] | null): Map<number, string> {
  const m = new Map<number, string>();
  for (const l of lenses ?? []) m.set(l.range.start.line, l.command?.title ?? '');
  return m;
}

/** The markdown of a hover. */
export function hoverMarkdown(h: Hover | null): string {
  if (!h) throw new Error('no hover');
  const c = h.contents as MarkupContent;
  if (c.kind !== 'markdown') throw new Error(`hover is ${c.kind}, not markdown`);
  return c.value;
}

/** Markdown with backslash escapes removed: what the user reads. */
export function unescapeMarkdown(md: string): string {
  return md.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
