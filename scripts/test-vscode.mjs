// The tests inside a real VS Code (code-server + headless Chromium): installs the harness into
// .tools/ when missing (scripts/install-vscode-harness.sh), builds unless --no-build, then runs
// the integration suite (Mocha in the extension host), the UI tests (playwright-core) on the
// extension under development, and the same kind of UI tests on the VSIX that `npm run package`
// writes, installed into code-server (which also retakes the README's pictures).
// Prints a closing "vscode: N passed, N failed" line and exits non-zero on any failure.
// `node scripts/test-vscode.mjs [--no-build] [integration] [e2e] [vsix]`.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessInstalled } from '../test/harness/codeServer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const wanted = args.filter((a) => !a.startsWith('-'));
const parts = wanted.length ? wanted : ['integration', 'e2e', 'vsix'];
const started = Date.now();

function step(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log(`vscode: ${cmd} ${argv.join(' ')} failed (${r.status ?? r.signal})`);
    console.log('vscode: 0 passed, 1 failed');
    process.exit(1);
  }
}

/** Runs a launcher (script and its arguments), echoing its output; returns its closing line's counts. */
function launcher(argv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...argv, ...args.filter((a) => a.startsWith('--') && a !== '--no-build')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
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
const launchers = {
  integration: ['test/integration/run-code-server.mjs'],
  e2e: ['test/e2e/run.mjs'],
  vsix: ['test/e2e/run.mjs', '--vsix'],
};
for (const p of parts) {
  if (!launchers[p]) {
    console.log(`vscode: unknown part ${p} (${Object.keys(launchers).join(', ')})`);
    process.exit(2);
  }
  const [script, ...rest] = launchers[p];
  const c = await launcher([join(root, script), ...rest]);
  passed += c.passed;
  failed += c.failed;
}
console.log(`vscode: tests inside VS Code took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`vscode: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
