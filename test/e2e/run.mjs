// UI tests with playwright-core and Debian's Chromium against code-server: what a person sees.
// One server and one page for the whole sequence (each step builds on the previous one);
// every wait is for a condition in the page.
// - default: the extension under development (the source tree's dist/) on the client fixture;
//   takes the flame graph and timeline pictures (pictureSteps.mjs; over docs/images/*.png with
//   `--screenshots`: `npm run screenshots` runs both modes).
// - `--vsix`: the shipped artefact. `npm run package` in a clean copy (test/harness/vsix.mjs),
//   `code-server --install-extension` into a fresh profile, a normal window on a copy of
//   examples/shop; takes the README's pictures from that window (into the temp dir; with
//   `--screenshots`, `npm run screenshots`, over docs/images/*.png).
// Prints "e2e: N passed, N failed" (or "e2e-vsix: …"); exits non-zero on failure. Needs the
// harness, and for the default mode the build.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harnessInstalled, launchBrowser, root, startCodeServer } from '../harness/codeServer.mjs';
import { packageInCopy } from '../harness/vsix.mjs';
import { shopSteps } from './shopSteps.mjs';
import { steps as devSteps } from './steps.mjs';
import { pictureSteps } from './pictureSteps.mjs';
import { graphSteps } from './graphSteps.mjs';

if (!harnessInstalled()) {
  console.error('e2e: the harness is missing; run scripts/install-vscode-harness.sh');
  process.exit(2);
}
const verbose = process.argv.includes('--verbose');
const vsixMode = process.argv.includes('--vsix');
const label = vsixMode ? 'e2e-vsix' : 'e2e';
const work = mkdtempSync(join(tmpdir(), `envtrace-${label}-`));

const modes = {
  dev: {
    fixture: join(root, 'test', 'fixtures', 'client', 'app'),
    folder: 'app',
    steps: [...devSteps, ...pictureSteps, ...graphSteps],
    // The traced program sees these: one plain value and one secret that must show redacted.
    // (Not PORT: code-server itself listens on $PORT.)
    env: { REGION: 'eu-west-1', DATABASE_URL: 'postgres://shop:hunter2-s3cret@db:5432/shop' },
    settings: { 'editor.fontSize': 15 },
    viewport: undefined,
  },
  vsix: {
    fixture: join(root, 'examples', 'shop'),
    folder: 'shop',
    steps: shopSteps,
    env: { REGION: 'us-east-2', SHOP_CACHE_DIR: '/var/cache/shop', WORKERS: '12', DB_PASSWORD: 'hunter2-s3cret' },
    settings: { 'editor.fontSize': 16, 'editor.minimap.enabled': false, 'editor.stickyScroll.enabled': false, 'editor.hover.above': false },
    // A marketplace page shows pictures about 1000 px wide: taken larger, they stay readable.
    viewport: { width: 1600, height: 1000 },
  },
};
const mode = modes[vsixMode ? 'vsix' : 'dev'];
const workspace = join(work, mode.folder);
cpSync(mode.fixture, workspace, { recursive: true, filter: (src) => !src.includes('.envtrace') });

let passed = 0;
let failed = 0;
let server;
let browser;
let packed;
try {
  if (vsixMode) {
    const t = Date.now();
    packed = packageInCopy();
    console.log(`  ✔ \`npm run package\` writes the VSIX (${Date.now() - t} ms)`);
    passed++;
  }
  server = await startCodeServer({
    env: mode.env,
    vsix: packed?.vsix,
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'window.commandCenter': false, 'envtrace.prebuild': false, ...mode.settings },
    log: verbose ? (t) => process.stderr.write(t) : undefined,
  });
  browser = await launchBrowser({ viewport: mode.viewport });
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  if (verbose) page.on('console', (m) => process.stderr.write(`[browser] ${m.text()}\n`));
  await page.goto(server.url(workspace, vsixMode ? undefined : [['extensionDevelopmentPath', server.remote(root)]]));
  // A test run leaves the tracked pictures alone; `--screenshots` retakes them.
  const images = process.argv.includes('--screenshots') ? join(root, 'docs', 'images') : work;
  const state = { page, workspace, images };
  let broken = false;
  for (const s of mode.steps) {
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
  console.log(`${label}: ${e instanceof Error ? e.message : String(e)}`);
  failed++;
} finally {
  await browser?.close();
  await server?.stop();
  packed?.cleanup();
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
}
console.log(`${label}: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
