// The UI steps on the installed VSIX (test/e2e/run.mjs --vsix), in a normal window on a copy of
// examples/shop: the static lenses, "Run with envtrace", then a lens and a hover with an
// observed value. They take the README's pictures on the way. Assertions look for keys and
// values (set in run.mjs's environment for the traced program), not for the lenses' wording.
import { basename, join } from 'node:path';
import { environmentView, lensText, limit, openFile, runModule, token } from './steps.mjs';

/**
 * Gives the Environment view the Explorer: a wider side bar, the folder tree collapsed to its
 * header, the Environment view expanded.
 */
async function roomForEnvironmentView(page, folder) {
  const bar = await page.locator('.part.sidebar').boundingBox();
  await page.mouse.move(bar.x + bar.width + 2, bar.y + bar.height / 2);
  await page.mouse.down();
  await page.mouse.move(bar.x + bar.width + 140, bar.y + bar.height / 2, { steps: 5 });
  await page.mouse.up();
  const folders = page.locator('.pane-header', { hasText: folder }).first();
  if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
}

/** Scrolls the active editor so that line `n` is in view (Go to Line). */
async function goToLine(page, n) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: limit });
  await input.fill(`:${n}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: limit });
}

/** Hovers `word` on the line holding `lineText` and waits for a hover that contains `text`. */
async function hover(page, lineText, word, text) {
  await token(page, lineText, word).hover();
  const h = page.locator('.monaco-hover:not(.hidden)', { hasText: text }).first();
  await h.waitFor({ state: 'visible', timeout: limit });
  return h.innerText();
}

export const shopSteps = [
  {
    name: 'the installed extension opens examples/shop in a normal window',
    async run({ page }) {
      await page.locator('.monaco-workbench').waitFor({ timeout: limit });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'main.go' }).first().waitFor({ timeout: limit });
      const title = await page.title();
      if (/Extension Development Host/.test(title)) throw new Error(`window title: ${title}`);
    },
  },
  {
    name: 'config.go shows the static lenses, and a hover on a read names its key',
    async run({ page, images, workspace }) {
      await openFile(page, 'config.go');
      await roomForEnvironmentView(page, basename(workspace));
      await goToLine(page, 44); // Load(), with every read of the file, fills the editor
      await lensText(page, /REGION/);
      await environmentView(page, 'REGION');
      await hover(page, 'os.LookupEnv("REGION")', 'LookupEnv', 'REGION');
      await page.screenshot({ path: join(images, 'hover-before-run.png') });
      await page.keyboard.press('Escape');
    },
  },
  {
    name: '"Run with envtrace" runs the module, and a lens shows an observed value',
    async run({ page }) {
      await runModule(page);
      // The first traced build recompiles part of the standard library.
      await page.locator('.monaco-editor .codelens-decoration', { hasText: 'us-east-2' }).first().waitFor({ state: 'visible', timeout: 180_000 });
    },
  },
  {
    name: 'a hover shows the observed value and its callers; the picture for the README',
    async run({ page, images }) {
      // The task's terminal covers the editor's lower lines: hide the panel.
      if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
      await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: limit });
      await environmentView(page, 'SHOP_CACHE_DIR');
      const text = await hover(page, 'getenv(CacheDirKey, "/tmp/shop")', 'getenv', '/var/cache/shop');
      if (!/main\.main/.test(text)) throw new Error(`no caller main.main in the hover:\n${text}`);
      await page.keyboard.press('Escape');
      // The picture: the last helper read's hover opens below it (editor.hover.above is off),
      // leaving the lenses with values above it and the Environment view in sight.
      const workers = await hover(page, 'getenv("WORKERS", "4")', 'getenv', 'WORKERS');
      if (!/12/.test(workers)) throw new Error(`no observed value 12 in the hover:\n${workers}`);
      await page.screenshot({ path: join(images, 'screenshot.png') });
      await page.keyboard.press('Escape');
    },
  },
];
