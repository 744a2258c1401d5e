/** What every envtrace webview shares: the VS Code API handle and theme colours. */

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's channel to the extension (acquireVsCodeApi may be called once). */
export const vscode: VsCodeApi = acquireVsCodeApi();

/** The value of a theme colour variable, with a fallback outside VS Code. */
export function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(`--vscode-${name}`).trim() || fallback;
}

/** Colours of the access kinds, from the theme's chart palette. */
export function opColors(): Record<string, string> {
  return {
    getenv: themeColor('charts-blue', '#3794ff'),
    setenv: themeColor('charts-orange', '#d18616'),
    unsetenv: themeColor('charts-red', '#f14c4c'),
    clearenv: themeColor('charts-red', '#f14c4c'),
    environ: themeColor('charts-purple', '#b180d7'),
    spawn: themeColor('charts-green', '#89d185'),
    exec: themeColor('charts-green', '#89d185'),
    start: themeColor('charts-foreground', '#cccccc'),
    end: themeColor('charts-foreground', '#cccccc'),
  };
}

/** Asks the extension to open `file:line` (a site); ignored for an empty site. */
export function openSite(site: string): void {
  const m = /^(.*):(\d+)$/.exec(site);
  if (m && m[1]) vscode.postMessage({ type: 'open', file: m[1], line: Number(m[2]) });
}

/** `<select>` options from values, the first one meaning "all". */
export function fillSelect(el: HTMLSelectElement, values: readonly (string | number)[], keep: string): void {
  el.replaceChildren(new Option('all', ''), ...values.map((v) => new Option(String(v), String(v))));
  el.value = values.map(String).includes(keep) ? keep : '';
}
