// UI steps for the dependency graph (issue 15), after the picture steps: a Gin + sqlx order
// service (test/fixtures/client/orders, its own module) is copied into the workspace; its graph
// is opened from the package clause lens and from the palette, checked through the page's node
// list (nodes, edges, risk colours), and a click on a node and Enter on a listed node open the
// right file and line. The whole-workspace graph is the README's picture (`images`).
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../harness/codeServer.mjs';
import { cursorAt, pictureFrame } from './pictureSteps.mjs';
import { limit, palette } from './steps.mjs';

/** The listed node `id` once the graph lists it (the panel redraws as the server indexes the copied files). */
async function listed(view, id) {
  const option = view.locator(`#nodes option[value="${id}"]`);
  await option.waitFor({ state: 'attached', timeout: limit });
  return option;
}

/** The theme's value of a colour variable inside the webview, as the graph draws it: without alpha (Dark Modern's orange is `rgba(234, 92, 0, 0.33)`). */
async function themeColor(view, name) {
  const c = await view.locator('body').evaluate((b, n) => getComputedStyle(b).getPropertyValue(`--vscode-${n}`).trim(), name);
  const rgba = /^rgba\((\d+), (\d+), (\d+), [\d.]+\)$/.exec(c);
  return /^#[0-9a-f]{8}$/i.test(c) ? c.slice(0, 7) : rgba ? `rgb(${rgba[1]}, ${rgba[2]}, ${rgba[3]})` : c;
}

/** Throws unless the listed node `id` has the risk `risk`, drawn in the theme colour `color`, and its text matches `re`. */
async function expectNode(view, id, risk, color, re) {
  const option = await listed(view, id);
  const [got, drawn, text] = [await option.getAttribute('data-risk'), await option.getAttribute('data-color'), await option.textContent()];
  const want = await themeColor(view, color);
  if (got !== risk || drawn?.toLowerCase() !== want.toLowerCase()) throw new Error(`${id}: risk ${got} in ${drawn}, expected ${risk} in ${color} (${want})`);
  if (!re.test(text ?? '')) throw new Error(`${id}: "${text}" does not match ${re}`);
}

/**
 * Opens a file copied into the workspace during the session with Quick Open. Quick Open keeps
 * the file list it read for earlier searches until the file watcher reports the new files, so
 * it is asked again until it lists the file.
 */
async function openCopied(page, name) {
  const end = Date.now() + limit;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: limit });
    await input.fill(name);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    const listed = await row.waitFor({ timeout: 3000 }).then(() => true, () => false);
    if (listed) break;
    if (Date.now() > end) throw new Error(`Quick Open does not list ${name}`);
  }
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ timeout: limit });
}

/** Runs Show Dependency Graph from the palette, picks the row showing `scope`, and returns the drawn graph's frame. */
async function showGraph(page, scope) {
  await palette(page, 'envtrace: Show Dependency Graph');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: scope }).first();
  await row.waitFor({ timeout: limit });
  await row.click();
  return pictureFrame(page, 'graph');
}

export const graphSteps = [
  {
    name: 'the package clause lens of a Go file opens the graph of its package: keys → function → sink, coloured by risk',
    async run({ page, workspace }) {
      await palette(page, 'View: Close All Editors');
      cpSync(join(root, 'test', 'fixtures', 'client', 'orders'), join(workspace, 'orders'), { recursive: true });
      await openCopied(page, 'db.go');
      const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'env dependency graph' }).first();
      await lens.waitFor({ timeout: limit });
      await lens.click();
      const view = await pictureFrame(page, 'graph');
      await expectNode(view, 'key:DB_PASS', 'high', 'charts-orange', /^key DB_PASS \(credential, high risk\) → store\.Open — orders\/store\/db\.go:15$/);
      await expectNode(view, 'key:DB_USER', 'medium', 'charts-yellow', /→ store\.Open/);
      await expectNode(view, 'key:DB_HOST', 'low', 'charts-green', /→ store\.Open/);
      await expectNode(view, 'fn:orders/store:store.Open', 'high', 'charts-orange', /→ sqlx\.Connect \(user, password, host\)/);
      const sinks = await view.locator('#nodes option[data-kind="sink"]').allTextContents();
      if (sinks.length !== 1 || !/^database sqlx\.Connect \(user, password, host\) \(high risk\) — orders\/store\/db\.go:18$/.test(sinks[0])) throw new Error(`sinks: ${sinks.join(' | ')}`);
      if ((await view.locator('#scope').inputValue()) === '') throw new Error('the scope picker does not show the package');
    },
  },
  {
    name: 'Show Dependency Graph of the whole workspace: the logged payment token is critical (red) from key to log.Printf; a click on a node opens its line',
    async run({ page, images }) {
      await palette(page, 'View: Close All Editors');
      // The picture gets the whole window.
      await palette(page, 'View: Close Primary Side Bar');
      const view = await showGraph(page, 'Whole workspace');
      await expectNode(view, 'key:PAYMENT_API_TOKEN', 'critical', 'charts-red', /^key PAYMENT_API_TOKEN \(credential, critical risk\) → payments\.\(\*Client\)\.Charge, main\.main — orders\/payments\/client\.go:21$/);
      await expectNode(view, 'fn:orders:main.main', 'critical', 'charts-red', /→ .*log\.Printf/);
      await expectNode(view, 'key:WORKERS', 'medium', 'charts-yellow', /\(number, medium risk\) → main\.main/);
      await expectNode(view, 'key:ORDERS_RECEIPTS_DIR', 'low', 'charts-green', /\(path, low risk\) → main\.main/);
      await expectNode(view, 'key:PAYMENT_URL', 'medium', 'charts-yellow', /\(url, medium risk\)/);
      const log = view.locator('#nodes option[data-kind="sink"]', { hasText: 'log.Printf' });
      if (!/^output log\.Printf \(critical risk\) — orders\/main\.go:34$/.test((await log.textContent()) ?? '')) throw new Error(`log.Printf: ${await log.textContent()}`);
      const legend = await view.locator('#legend').textContent();
      if (!/critical \(1 key\)/.test(legend ?? '')) throw new Error(`legend: ${legend}`);
      await page.screenshot({ path: join(images, 'dependency-graph.png') });
      // A listed node comes to the middle of the drawing; a click there (on the canvas) opens its code.
      const id = await log.getAttribute('value');
      await view.locator('#nodes').selectOption(id);
      await view.locator(`#chart[data-centred="${id}"]`).waitFor({ state: 'attached', timeout: limit });
      const box = await view.locator('#chart').boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await cursorAt(page, 'main.go', 34);
    },
  },
  {
    name: 'Enter on a listed node of the graph opens its code',
    async run({ page }) {
      await palette(page, 'View: Close All Editors');
      const view = await showGraph(page, 'orders/payments');
      const auth = view.locator('#nodes option[data-kind="sink"]', { hasText: 'Header.Set' });
      await auth.waitFor({ state: 'attached', timeout: limit });
      await view.locator('#nodes').selectOption(await auth.getAttribute('value'));
      await view.locator('#nodes').press('Enter');
      await cursorAt(page, 'client.go', 31);
    },
  },
];
