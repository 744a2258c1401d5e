/** Building markdown from untrusted text: every piece of source or run data goes through here. */

/** Escapes text so markdown renders it literally (no emphasis, links, HTML or code spans). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&"'=:$^]/g, (c) => `\\${c}`)
    .replace(/\r?\n|\r/g, ' ');
}

/** A link whose label is escaped and whose target is percent-encoded, so neither can break out. */
export function link(label: string, target: string): string {
  const safe = encodeURI(decodeSafe(target)).replace(/[()[\]<> "'`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${escapeMarkdown(label)}](${safe})`;
}

function decodeSafe(uri: string): string {
  try {
    return decodeURI(uri);
  } catch {
    return uri;
  }
}

/** A `file://` URI with a line fragment that VS Code and most editors open at that line (1-based). */
export function lineLink(uri: string, line: number, column: number): string {
  return `${uri}#L${line},${column}`;
}
