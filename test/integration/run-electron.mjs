// Runs the same integration suite in desktop VS Code through @vscode/test-electron, for machines
// that can download VS Code (`npm run test:electron`; needs `npm run build` and `tsc -b` first).
// Each suite gets a fresh temp copy of the fixture workspace; prints "N passed, N failed".
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suites = [
  { name: 'suite', args: ['--disable-workspace-trust'] },
  { name: 'untrusted', args: [] },
];
let passed = 0;
let failed = 0;
for (const s of suites) {
  const work = mkdtempSync(join(tmpdir(), `envtrace-it-${s.name}-`));
  const workspace = join(work, 'app');
  cpSync(join(root, 'test', 'fixtures', 'client', 'app'), workspace, { recursive: true });
  const results = join(work, 'results.json');
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--user-data-dir', join(work, 'user-data'), ...s.args],
      extensionTestsEnv: { ENVTRACE_IT_SUITE: s.name, ENVTRACE_IT_RESULTS: results },
    });
  } catch (e) {
    console.log(`integration ${s.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const counts = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : { passed: 0, failed: 1, lines: [] };
  for (const l of counts.lines ?? []) console.log(l);
  passed += counts.passed;
  failed += counts.failed;
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
