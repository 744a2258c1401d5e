// Runs the integration suite inside code-server (the real VS Code workbench and extension host):
// one fresh server per suite, a temp copy of the fixture workspace, headless Chromium opening
// the workbench with a payload that names the extension under development and the Mocha entry.
// Prints each suite's counts and a closing "N passed, N failed" line; exits non-zero on failure.
// Needs `npm run build`, `tsc -b` and scripts/install-vscode-harness.sh first.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { harnessInstalled, launchBrowser, root, startCodeServer } from '../harness/codeServer.mjs';

const suites = [
  { name: 'suite', trust: true },
  { name: 'untrusted', trust: false },
];
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const verbose = process.argv.includes('--verbose');
const suiteLimitMs = 10 * 60_000;

if (!harnessInstalled()) {
  console.error('test-vscode: the harness is missing; run scripts/install-vscode-harness.sh');
  process.exit(2);
}
if (!existsSync(join(root, 'out', 'test', 'integration', 'index.js')) || !existsSync(join(root, 'dist', 'client.js'))) {
  console.error('test-vscode: build first (npm run build && npx tsc -b)');
  process.exit(2);
}

// The extension host's PATH may lack Go's folder (it resolves a login shell's environment):
// name the go binary through the setting meant for that.
const goBinary = (spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout ?? '').trim();
let passed = 0;
let failed = 0;
for (const s of suites.filter((x) => only.length === 0 || only.includes(x.name))) {
  const r = await runSuite(s);
  passed += r.passed;
  failed += r.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

/** Runs one suite in a fresh code-server; returns its counts (a crash counts as one failure). */
async function runSuite({ name, trust }) {
  const work = mkdtempSync(join(tmpdir(), `envtrace-it-${name}-`));
  const workspace = join(work, 'app');
  cpSync(join(root, 'test', 'fixtures', 'client', 'app'), workspace, { recursive: true });
  const results = join(work, 'results.json');
  const started = Date.now();
  let server;
  let browser;
  try {
    server = await startCodeServer({ trust, settings: { 'envtrace.goPath': goBinary, 'envtrace.prebuild': false }, log: verbose ? (t) => process.stderr.write(t) : undefined });
    browser = await launchBrowser();
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    let settle;
    const exited = new Promise((resolve) => (settle = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
    // The workbench forwards all of its console here (including its own noise): shown with --verbose.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      if (verbose) process.stderr.write(`[${type}] ${Array.isArray(args) ? format(...args) : String(args)}\n`);
    });
    if (verbose) page.on('console', (m) => process.stderr.write(`[browser] ${m.text()}\n`));
    const env = { ENVTRACE_IT_SUITE: name, ENVTRACE_IT_RESULTS: results, ...(process.env.ENVTRACE_IT_GREP ? { ENVTRACE_IT_GREP: process.env.ENVTRACE_IT_GREP } : {}) };
    const url = server.url(workspace, [
      ['extensionDevelopmentPath', server.remote(root)],
      ['extensionTestsPath', server.remote(join(root, 'out', 'test', 'integration', 'index.js'))],
      ['extensionEnvironment', JSON.stringify(env)],
    ]);
    console.log(`integration ${name}: code-server on port ${server.port}, workspace ${trust ? 'trusted' : 'untrusted'}`);
    await page.goto(url);
    let timer;
    const code = await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r('timeout'), suiteLimitMs)))]);
    clearTimeout(timer);
    const counts = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : { passed: 0, failed: 0, lines: [] };
    for (const l of counts.lines) console.log(l);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (code === 'timeout') {
      console.log(`integration ${name}: no result after ${suiteLimitMs / 1000} s`);
      return { passed: counts.passed, failed: counts.failed + 1 };
    }
    console.log(`integration ${name}: exit ${code}, ${counts.passed} passed, ${counts.failed} failed in ${secs} s`);
    if (code !== 0 && counts.failed === 0) return { passed: counts.passed, failed: 1 };
    return { passed: counts.passed, failed: counts.failed };
  } catch (e) {
    console.log(`integration ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return { passed: 0, failed: 1 };
  } finally {
    await browser?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  }
}
