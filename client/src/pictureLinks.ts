/** The hover's links to the pictures of its key: "timeline of PORT · flame graph of PORT". */
import * as vscode from 'vscode';
import { commandIds } from './commandIds';

const KEY_HEADING = /^\*\*([^*\n]+)\*\* — /;

/** The server's hover with links to the key's timeline and flame graph appended (when it names a key). */
export function withPictureLinks(hover: vscode.Hover | null | undefined): vscode.Hover | null | undefined {
  const first = hover?.contents[0];
  const text = first instanceof vscode.MarkdownString ? first.value : typeof first === 'string' ? first : undefined;
  const m = text === undefined ? null : KEY_HEADING.exec(text);
  if (!hover || !m) return hover;
  // The heading escapes Markdown; the key itself is plain env-name text.
  const key = m[1].replace(/\\(.)/g, '$1');
  const arg = encodeURIComponent(JSON.stringify([{ key }]));
  const links = new vscode.MarkdownString(
    `[$(timeline-view-icon) timeline of ${m[1]}](command:${commandIds.showTimeline}?${arg}) · [$(flame) flame graph of ${m[1]}](command:${commandIds.showFlameGraph}?${arg})`,
    true,
  );
  links.isTrusted = { enabledCommands: [commandIds.showTimeline, commandIds.showFlameGraph] };
  return new vscode.Hover([...hover.contents, links], hover.range);
}
