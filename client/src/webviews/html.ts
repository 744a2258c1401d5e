/**
 * The webview side of envtrace's pages (page.ts builds their HTML without `vscode`): panel
 * options, the HTML for a webview, opening a site.
 */
import * as vscode from 'vscode';
import { pageHtml, type WebviewPage } from './page';

/** Options for a panel whose scripts load from dist/webview. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

/** The HTML of `page` in `webview`, its files from the extension's dist/webview. */
export function webviewPageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const uri = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', f)).toString();
  return pageHtml({ cspSource: webview.cspSource, uri }, page);
}

/** A full page: `body` HTML, the named scripts and stylesheets of dist/webview, `css` inline under the nonce. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, body: string, scripts: string[], styles: string[] = [], css = ''): string {
  return webviewPageHtml(webview, extensionUri, { title, body, scripts, styles, css });
}

/** Opens `file` at `line` in an editor beside nothing (the active group). */
export async function openFileLine(file: string, line: number): Promise<void> {
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
}
