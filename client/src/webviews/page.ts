/**
 * The HTML of envtrace's webview pages without `vscode`: a strict content-security policy (no
 * network, no inline code: scripts and styles only from dist/webview and with a per-load
 * nonce), the theme's colours through VS Code's CSS variables. The panels fill in the
 * webview's origin; scripts/bench/pictureBrowser.mjs loads the same pages in Chromium.
 */
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../htmlText';

/** Where a page's files come from: the webview's CSP source and the URL of a file of dist/webview. */
export interface PageHost {
  cspSource: string;
  uri(file: string): string;
}

/** A page: `body` HTML, the named scripts and stylesheets of dist/webview, `css` inline under the nonce. */
export interface WebviewPage {
  title: string;
  body: string;
  scripts: readonly string[];
  styles?: readonly string[];
  css?: string;
}

const BASE_CSS = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font: var(--vscode-font-size) var(--vscode-font-family); margin: 0; padding: 8px; }
.bar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
select, input { background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground); border: 1px solid var(--vscode-dropdown-border, transparent); }
:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
#details { min-height: 3.6em; white-space: pre-wrap; color: var(--vscode-descriptionForeground); }
a { color: var(--vscode-textLink-foreground); }
`;

/** The full HTML of `page` served by `host`. */
export function pageHtml(host: PageHost, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${host.cspSource} data:`,
    `style-src ${host.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${host.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
${(page.styles ?? []).map((s) => `<link rel="stylesheet" nonce="${nonce}" href="${host.uri(s)}">`).join('\n')}
<style nonce="${nonce}">${BASE_CSS}${page.css ?? ''}</style>
</head><body>
${page.body}
${page.scripts.map((s) => `<script nonce="${nonce}" src="${host.uri(s)}"></script>`).join('\n')}
</body></html>`;
}
