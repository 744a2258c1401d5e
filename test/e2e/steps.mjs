// The UI steps on the extension under development, in order: open a fixture file, see lenses,
// hover, run from the palette. Also the helpers that shopSteps.mjs (the installed VSIX) shares.
// Selectors are VS Code internals of the pinned code-server version (4.139.1).

export const limit = 90_000;

/** Opens `name` with Quick Open and waits for its editor tab. */
export async function openFile(page, name) {
  await page.locator('.monaco-workbench').click({ position: { x: 600, y: 300 } }).catch(() => {});
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: limit });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: limit });
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ timeout: limit });
}

/** Waits for a code lens whose text matches `re` and returns its text. */
export async function lensText(page, re) {
  const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: re }).first();
  await lens.waitFor({ state: 'visible', timeout: limit });
  return lens.innerText();
}

/** Runs a palette command by its title. */
export async function palette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: limit });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: limit });
  await page.keyboard.press('Enter');
}

/** The editor's text token containing `word` on the line that contains `lineText`. */
export function token(page, lineText, word) {
  return page.locator('.monaco-editor .view-line', { hasText: lineText }).first().locator('span > span', { hasText: word }).first();
}

/** Runs "Run with envtrace" from the palette and picks the module (`go run .`). */
export async function runModule(page) {
  await palette(page, 'envtrace: Run with envtrace');
  const choice = page.locator('.quick-input-list .monaco-list-row', { hasText: 'go run .' }).first();
  await choice.waitFor({ timeout: limit });
  await choice.click();
}

/** Opens the Environment view in the Explorer and waits for `key` in it. */
export async function environmentView(page, key) {
  // The view has its own container in the activity bar (alone there, it has no pane header);
  // its item toggles the side bar, so click it only when the container is not shown yet.
  const item = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="envtrace"]') }).first();
  await item.waitFor({ timeout: limit });
  if (!((await item.getAttribute('class')) ?? '').includes('checked')) await item.click();
  await page.locator('.monaco-list-row', { hasText: key }).first().waitFor({ timeout: limit });
}

export const steps = [
  {
    name: 'the workbench opens the fixture and the extension activates',
    async run({ page }) {
      await page.locator('.monaco-workbench').waitFor({ timeout: limit });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'main.go' }).first().waitFor({ timeout: limit });
    },
  },
  {
    name: 'a test file shows "trace test" lenses above its tests and "trace package tests" on the package clause',
    required: false,
    async run({ page }) {
      await openFile(page, 'main_test.go');
      await lensText(page, /^trace package tests$/);
      await lensText(page, /^trace test$/);
    },
  },
  {
    name: 'main.go shows the static lens on the Getenv line',
    async run({ page }) {
      await openFile(page, 'main.go');
      const text = await lensText(page, /DATABASE_URL/);
      if (!/DATABASE_URL/.test(text)) throw new Error(`lens: ${text}`);
    },
  },
  {
    name: 'hovering os.Getenv shows the key and the api',
    async run({ page }) {
      await token(page, 'os.Getenv("DATABASE_URL")', 'Getenv').hover();
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'DATABASE_URL' }).first();
      await hover.waitFor({ state: 'visible', timeout: limit });
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'the Environment view lists the keys',
    required: false,
    async run({ page }) {
      await environmentView(page, 'DATABASE_URL');
    },
  },
  {
    name: '"Run with envtrace" from the palette runs and the status bar counts the run',
    async run({ page }) {
      await runModule(page);
      await page.locator('.statusbar-item', { hasText: /envtrace: \d+ keys?/ }).first().waitFor({ timeout: 180_000 });
    },
  },
  {
    name: 'after the run the lenses and the hover show the observed values',
    required: false,
    async run({ page }) {
      // The task's terminal covers the lower lines of main.go: hide the panel.
      if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
      await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: limit });
      await lensText(page, /PORT (= |unset)/);
      await lensText(page, /DATABASE_URL = •••/);
      await token(page, 'getenv("PORT", "8080")', 'getenv').hover();
      await page.locator('.monaco-hover:not(.hidden)', { hasText: 'PORT' }).first().waitFor({ state: 'visible', timeout: limit });
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'the status bar item opens the runs picker with the new run',
    required: false,
    async run({ page }) {
      await page.locator('.statusbar-item', { hasText: /envtrace: \d+ keys?/ }).first().click();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'go run .' }).first().waitFor({ timeout: limit });
      await page.keyboard.press('Escape');
    },
  },
];
