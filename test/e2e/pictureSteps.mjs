// UI steps for the pictures (issue 16), after steps.mjs has recorded a run of the fixture:
// the flame graph and the timeline as webviews, checked through their DOM (frames, lanes,
// marks, the race line) and by what a click or Enter opens. A copy of the races fixture,
// its frames pointed at the workspace's main.go, gives the timeline a race to draw.
// Pictures go to `images` (docs/images with `--screenshots`).
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { limit, palette } from './steps.mjs';
import { root } from '../harness/codeServer.mjs';

/**
 * The content frame of the webview that shows `picture` ("flame" or "timeline") once it has drawn.
 * VS Code nests each webview in two iframes and may keep a closed panel's iframes for a while, so
 * the frame is found by what its page says it is (the newest one), not by its place among the iframes.
 */
export async function pictureFrame(page, picture, timeout = limit) {
  const end = Date.now() + timeout;
  for (;;) {
    let found;
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      const drawn = await frame.evaluate((p) => document.body?.dataset.picture === p && document.body.dataset.state === 'drawn', picture).catch(() => false);
      if (drawn) found = frame; // the newest such frame comes last
    }
    if (found) return found;
    if (Date.now() > end) throw new Error(`no ${picture} webview was drawn within ${timeout} ms`);
    await page.waitForTimeout(100);
  }
}

/** Runs a picture command and picks the run whose row shows `run` (no picker when only one run is stored). */
async function openPicture(page, title, picture, run) {
  await palette(page, title);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: run }).first();
  const drawn = pictureFrame(page, picture);
  await Promise.race([row.waitFor({ timeout: limit }).then(() => row.click()), drawn]);
  return drawn;
}

/** Waits until the active editor is `name` with the cursor on `line`. */
export async function cursorAt(page, name, line) {
  await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ timeout: limit });
  await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col`) }).first().waitFor({ timeout: limit });
}

async function closeEditors(page) {
  await palette(page, 'View: Close All Editors');
}

export const pictureSteps = [
  {
    name: 'Show Flame Graph draws the run\'s stacks; a frame\'s title gives counts and keys; clicking it opens its line',
    async run({ page, images }) {
      await closeEditors(page);
      const view = await openPicture(page, 'envtrace: Show Flame Graph', 'flame', 'go run .');
      const frames = view.locator('g.frame');
      await frames.nth(3).waitFor({ timeout: limit });
      const region = view.locator('g.frame[name="getenv REGION"] title');
      if (!/REGION 1/.test(await region.textContent())) throw new Error('the REGION leaf does not count one read');
      const helper = view.locator('g.frame[name="main.getenv"]');
      if (!/keys: PORT/.test(await helper.locator('title').textContent())) throw new Error('main.getenv does not list PORT among its keys');
      await page.screenshot({ path: join(images, 'flame-graph.png') });
      await helper.click();
      // getenv's os.LookupEnv call is on line 11 of main.go.
      await cursorAt(page, 'main.go', 11);
    },
  },
  {
    name: 'the flame graph filters by key and is reachable by keyboard (Tab to a frame, Enter opens it)',
    async run({ page }) {
      await closeEditors(page);
      const view = await openPicture(page, 'envtrace: Show Flame Graph', 'flame', 'go run .');
      await view.locator('#key').selectOption('DATABASE_URL');
      await view.locator('g.frame[name="getenv DATABASE_URL"]').waitFor({ timeout: limit });
      await view.locator('g.frame[name="getenv PORT"]').waitFor({ state: 'detached', timeout: limit });
      await view.locator('g.frame[name="main.main"]').focus();
      await page.keyboard.press('Enter');
      await cursorAt(page, 'main.go', 20);
    },
  },
  {
    name: 'Show Timeline draws a lane per process and goroutine, marks, and the race line in the warning colour; Enter on a mark opens its site',
    async run({ page, workspace, images }) {
      await closeEditors(page);
      const main = join(workspace, 'main.go');
      const dest = join(workspace, '.envtrace', 'runs', '20261126-120000-races0');
      cpSync(join(root, 'test', 'fixtures', 'runs', 'races'), dest, { recursive: true });
      for (const f of readdirSync(dest)) {
        const p = join(dest, f);
        const text = readFileSync(p, 'utf8').replaceAll('/work/app/race.go', main).replaceAll('/work/app/race_test.go', main).replace('"label": null', '"label": "races fixture"').replace('"id": "races"', '"id": "20261126-120000-races0"');
        writeFileSync(p, text.replaceAll('"cwd": "/work/app"', `"cwd": ${JSON.stringify(workspace)}`));
      }
      // The Environment view lists the copied run (its Refresh button rereads the store, not waiting for the watcher).
      await page.locator('.part.sidebar a.action-label[aria-label="Refresh"]').first().click();
      const item = page.locator('.monaco-list-row', { hasText: 'races fixture' }).first();
      await item.waitFor({ timeout: limit });
      // From the run item's context menu in the Environment view. The view may still be
      // redrawing after the refresh (a row can move under the pointer), so the menu is used only
      // once the right-clicked row is the focused one; and a menu that closed without running its
      // entry (seen once in CI: no tab after 90 s) is opened again.
      const tab = page.locator('.tab.active[aria-label^="Timeline: races fixture"]');
      let seen = '';
      for (let attempt = 1; ; attempt++) {
        if (attempt > 5) throw new Error(`no "Timeline: races fixture" tab after 5 tries (the last context menu belonged to "${seen}")`);
        await item.click({ button: 'right' });
        const menu = page.locator('.monaco-menu .action-label', { hasText: 'Show Timeline' }).first();
        await menu.waitFor({ timeout: limit });
        seen = (await page.locator('.monaco-list-row.focused').first().textContent().catch(() => '')) ?? '';
        if (!seen.includes('races fixture')) {
          await page.keyboard.press('Escape');
          await page.waitForTimeout(500);
          continue;
        }
        // A context menu ignores a click that follows its opening too closely (the right button's
        // own release must not pick an item): hover the entry, which focuses it, then press Enter.
        await menu.hover();
        await page.keyboard.press('Enter');
        if (await tab.waitFor({ timeout: 20_000 }).then(() => true, () => false)) break;
        await page.keyboard.press('Escape');
      }
      const view = await pictureFrame(page, 'timeline');
      await view.locator('svg text', { hasText: 'process 200' }).first().waitFor({ timeout: limit });
      await view.locator('svg text', { hasText: 'TestE (g6)' }).first().waitFor({ timeout: limit });
      // The timeline draws before race analysis is done; the race lines follow.
      await view.locator('body[data-races="placed"]').waitFor({ timeout: limit });
      const warn = await view.locator('body').evaluate((b) => getComputedStyle(b).getPropertyValue('--vscode-editorWarning-foreground').trim());
      const lines = await view.locator('svg path[stroke-width="2"]').evaluateAll((ps, w) => ps.filter((p) => (p.getAttribute('stroke') ?? '').toLowerCase() === w.toLowerCase()).length, warn);
      if (lines < 1) throw new Error(`no race line in ${warn}`);
      const marks = await view.locator('#marks option').count();
      if (marks < 10) throw new Error(`only ${marks} marks listed`);
      await page.screenshot({ path: join(images, 'timeline.png') });
      // The first listed mark with a site: D_ORDERED set at race.go:10, now main.go:10.
      await view.locator('#marks').selectOption({ index: 0 });
      await view.locator('#marks').press('Enter');
      await cursorAt(page, 'main.go', 10);
    },
  },
];
