/**
 * The HTML shell of envtrace's webviews: a strict content-security policy (no network, no
 * inline code: scripts and styles only from dist/webview and with a per-load nonce), the
 * theme's colours through VS Code's CSS variables.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { escapeHtml } from '../htmlText';

/** Options for a panel whose scripts load from dist/webview. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

const BASE_CSS = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font: var(--vscode-font-size) var(--vscode-font-family); margin: 0; padding: 8px; }
.bar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
select, input { background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground); border: 1px solid var(--vscode-dropdown-border, transparent); }
:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
#details { min-height: 3.6em; white-space: pre-wrap; color: var(--vscode-descriptionForeground); }
a { color: var(--vscode-textLink-foreground); }
`;

/** A full page: `body` HTML, the named scripts and stylesheets of dist/webview, `css` inline under the nonce. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, body: string, scripts: string[], styles: string[] = [], css = ''): string {
  const nonce = randomBytes(16).toString('base64');
  const uri = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', f)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${styles.map((s) => `<link rel="stylesheet" nonce="${nonce}" href="${uri(s)}">`).join('\n')}
<style nonce="${nonce}">${BASE_CSS}${css}</style>
</head><body>
${body}
${scripts.map((s) => `<script nonce="${nonce}" src="${uri(s)}"></script>`).join('\n')}
</body></html>`;
}


/** Opens `file` at `line` in an editor beside nothing (the active group). */
export async function openFileLine(file: string, line: number): Promise<void> {
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
}
