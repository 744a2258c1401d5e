// The tests inside a real VS Code (code-server + headless Chromium): installs the harness into
// .tools/ when missing (scripts/install-vscode-harness.sh), builds unless --no-build, then runs
// the integration suite (Mocha in the extension host) and the UI tests (playwright-core).
// Prints a closing "vscode: N passed, N failed" line and exits non-zero on any failure.
// `node scripts/test-vscode.mjs [--no-build] [integration] [e2e]`.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessInstalled } from '../test/harness/codeServer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const wanted = args.filter((a) => !a.startsWith('-'));
const parts = wanted.length ? wanted : ['integration', 'e2e'];
const started = Date.now();

function step(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log(`vscode: ${cmd} ${argv.join(' ')} failed (${r.status ?? r.signal})`);
    console.log('vscode: 0 passed, 1 failed');
    process.exit(1);
  }
}

/** Runs a launcher, echoing its output, and returns the counts of its closing line. */
function launcher(script) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args.filter((a) => a.startsWith('--') && a !== '--no-build')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let last = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      last = (last + d.toString()).split('\n').slice(-3).join('\n');
    });
    child.on('close', (code) => {
      const m = /(\d+) passed, (\d+) failed\s*$/.exec(last.trim());
      const counts = m ? { passed: Number(m[1]), failed: Number(m[2]) } : { passed: 0, failed: 1 };
      if (code !== 0 && counts.failed === 0) counts.failed = 1;
      resolve(counts);
    });
  });
}

if (!harnessInstalled()) {
  const t = Date.now();
  console.log('vscode: installing the harness (Node 24, code-server, chromium, playwright-core) into .tools/');
  step('bash', [join(root, 'scripts', 'install-vscode-harness.sh')]);
  console.log(`vscode: harness installed in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}
if (!args.includes('--no-build')) {
  step(process.execPath, ['scripts/build.mjs']);
  step(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b']);
}

let passed = 0;
let failed = 0;
const scripts = { integration: 'test/integration/run-code-server.mjs', e2e: 'test/e2e/run.mjs' };
for (const p of parts) {
  if (!scripts[p]) {
    console.log(`vscode: unknown part ${p} (integration, e2e)`);
    process.exit(2);
  }
  const c = await launcher(join(root, scripts[p]));
  passed += c.passed;
  failed += c.failed;
}
console.log(`vscode: tests inside VS Code took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`vscode: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
