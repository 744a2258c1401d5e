/** Escapes text for HTML (element content and quoted attributes). No `vscode` import. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
