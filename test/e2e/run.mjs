// UI tests with playwright-core and Debian's Chromium against code-server: what a person sees.
// One server and one page for the whole sequence (each step builds on the previous one);
// every wait is for a condition in the page. Writes docs/images/screenshot.png (after a run)
// and docs/images/hover-before-run.png for the README.
// Prints "e2e: N passed, N failed"; exits non-zero on failure. Needs the build and the harness.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harnessInstalled, launchBrowser, root, startCodeServer } from '../harness/codeServer.mjs';
import { steps } from './steps.mjs';

if (!harnessInstalled()) {
  console.error('e2e: the harness is missing; run scripts/install-vscode-harness.sh');
  process.exit(2);
}
const verbose = process.argv.includes('--verbose');
const work = mkdtempSync(join(tmpdir(), 'envtrace-e2e-'));
const workspace = join(work, 'app');
cpSync(join(root, 'test', 'fixtures', 'client', 'app'), workspace, { recursive: true });
const screenshot = join(root, 'docs', 'images', 'screenshot.png');
const staticShot = join(root, 'docs', 'images', 'hover-before-run.png');
mkdirSync(join(root, 'docs', 'images'), { recursive: true });

let passed = 0;
let failed = 0;
let server;
let browser;
try {
  // The traced program sees these: one plain value and one secret that must show redacted.
  // (Not PORT: code-server itself listens on $PORT.)
  server = await startCodeServer({
    env: { REGION: 'eu-west-1', DATABASE_URL: 'postgres://shop:hunter2-s3cret@db:5432/shop' },
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.fontSize': 15, 'window.commandCenter': false },
    log: verbose ? (t) => process.stderr.write(t) : undefined,
  });
  browser = await launchBrowser();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  if (verbose) page.on('console', (m) => process.stderr.write(`[browser] ${m.text()}\n`));
  await page.goto(server.url(workspace, [['extensionDevelopmentPath', server.remote(root)]]));
  const state = { page, workspace, screenshot, staticShot };
  let broken = false;
  for (const s of steps) {
    const t = Date.now();
    if (broken) {
      console.log(`  ✘ ${s.name} (not run: an earlier step failed)`);
      failed++;
      continue;
    }
    try {
      await s.run(state);
      console.log(`  ✔ ${s.name} (${Date.now() - t} ms)`);
      passed++;
    } catch (e) {
      console.log(`  ✘ ${s.name}\n      ${String(e instanceof Error ? e.message : e).split('\n').slice(0, 8).join('\n      ')}`);
      await page.screenshot({ path: join(work, 'failure.png') }).catch(() => {});
      if (process.env.ENVTRACE_E2E_FAILSHOT) cpSync(join(work, 'failure.png'), process.env.ENVTRACE_E2E_FAILSHOT);
      failed++;
      broken = s.required !== false;
    }
  }
} catch (e) {
  console.log(`e2e: ${e instanceof Error ? e.message : String(e)}`);
  failed++;
} finally {
  await browser?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
