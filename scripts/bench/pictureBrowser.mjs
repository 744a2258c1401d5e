// The browser half of `npm run bench:pictures`: the picture views' real pages (the HTML the
// extension builds, client/src/webviews/picturePages.ts, and the bundled scripts of
// dist/webview) served from 127.0.0.1 and loaded in headless Chromium through playwright-core
// (the e2e harness: ENVTRACE_TOOLS, else .tools; CHROMIUM, else Debian's /usr/bin/chromium).
// `acquireVsCodeApi` is a stand-in that keeps what the page posts. A view's time runs from
// handing the page the message the extension posts (as JSON text: the transfer, then parsed
// and posted to the window as VS Code's host does) until the page marks itself drawn
// (body[data-state=drawn]) and a frame has been painted after that.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { launchBrowser, root, tools } from '../../test/harness/codeServer.mjs';

const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser half cannot run (null when it can). */
export function browserMissing() {
  if (!existsSync(join(tools, 'pw', 'node_modules', 'playwright-core'))) return `no playwright-core under ${join(tools, 'pw')} (set ENVTRACE_TOOLS=/work/tools or run scripts/install-vscode-harness.sh)`;
  if (!existsSync(chromiumPath)) return `no Chromium at ${chromiumPath} (set CHROMIUM)`;
  if (!existsSync(join(root, 'dist', 'webview', 'flame.js'))) return 'no dist/webview (run npm run build)';
  return null;
}

/** Chromium with the pages of `pages` (compiled client/src/webviews/page.js) served. */
export async function openPictureBrowser() {
  const require = createRequire(import.meta.url);
  const { pageHtml } = require(join(root, 'out', 'client', 'src', 'webviews', 'page.js'));
  const htmls = new Map();
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const file = url.pathname.startsWith('/webview/') ? join(root, 'dist', 'webview', url.pathname.slice('/webview/'.length).replace(/\.\./g, '')) : null;
    const body = file && existsSync(file) ? readFileSync(file) : htmls.get(url.pathname);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file ? (file.endsWith('.css') ? 'text/css' : 'text/javascript') : 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchBrowser();
  const host = { cspSource: origin, uri: (f) => `${origin}/webview/${f}` };
  let n = 0;

  /** A fresh tab on `page` (a WebviewPage); resolves once its script posted its first message. */
  async function load(page) {
    const path = `/page/${++n}`;
    const html = pageHtml(host, page);
    htmls.set(path, html);
    const tab = await browser.context.newPage();
    await tab.addInitScript(() => {
      window.__posted = [];
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m) });
    });
    const cdp = await browser.context.newCDPSession(tab);
    await cdp.send('Performance.enable');
    const s = performance.now();
    await tab.goto(origin + path, { waitUntil: 'load' });
    if (page.scripts.length) await tab.waitForFunction(() => window.__posted.length > 0);
    else await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const loadMs = performance.now() - s;
    const first = await tab.evaluate(() => window.__posted[0]);
    return { tab, cdp, loadMs, htmlBytes: html.length, first };
  }

  /** Main-thread task time of the tab so far (ms): Chromium's TaskDuration. */
  async function taskMs(cdp) {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0);
  }

  /**
   * Posts `text` (the message as JSON) to the tab and waits until drawn and painted; with
   * `races`, until body[data-races] is that too. Returns the hand-over's ms (`transfer`: the
   * text into the page, timed on its own), wall ms of the post (from the hand-over to the
   * paint), the page's parse and draw ms, the main thread's task ms and `count()` in the page.
   */
  async function post(tab, cdp, text, { races, count } = {}) {
    // The hand-over alone: the text to the page and its length back.
    let s = performance.now();
    await tab.evaluate((json) => json.length, text);
    const transfer = performance.now() - s;
    await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const cpu0 = await taskMs(cdp);
    s = performance.now();
    const inPage = await tab.evaluate(
      async ([json, races]) => {
        const t0 = performance.now();
        const m = JSON.parse(json);
        const t1 = performance.now();
        const body = document.body;
        delete body.dataset.state;
        const done = () => body.dataset.state === 'drawn' && (!races || body.dataset.races === races);
        const drawn = new Promise((resolve) => {
          const o = new MutationObserver(() => done() && (o.disconnect(), resolve()));
          o.observe(body, { attributes: true });
        });
        window.postMessage(m, '*');
        await drawn;
        const t2 = performance.now();
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return { parse: t1 - t0, draw: t2 - t1, paint: performance.now() - t2, total: performance.now() - t0 };
      },
      [text, races],
    );
    const wall = performance.now() - s;
    const cpu = (await taskMs(cdp)) - cpu0;
    return { wall, transfer, ...inPage, cpu, drawn: count ? await tab.evaluate(count) : undefined };
  }

  return {
    load,
    post,
    taskMs,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}
