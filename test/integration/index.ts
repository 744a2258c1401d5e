/// <reference types="mocha" />
/**
 * The integration suite's entry, in @vscode/test-electron's `run()` contract: the extension
 * host loads this file and awaits run(). Both launchers (code-server here, test-electron where
 * VS Code can be downloaded) point extensionTestsPath at it. ENVTRACE_IT_SUITE picks the folder
 * of tests (`suite`: a trusted workspace, `untrusted`: restricted mode); ENVTRACE_IT_RESULTS
 * names a file that receives the counts as JSON.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Runs every *.test.js of the chosen folder; rejects when a test failed. */
export function run(): Promise<void> {
  const suite = process.env.ENVTRACE_IT_SUITE ?? 'suite';
  const dir = path.join(__dirname, suite);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 180_000, reporter: 'spec' });
  const grep = process.env.ENVTRACE_IT_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(dir, f));
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
      const line = `${suite}: ${stats.passes} passed, ${stats.failures} failed`;
      console.log(line);
      const out = process.env.ENVTRACE_IT_RESULTS;
      if (out) fs.writeFileSync(out, JSON.stringify({ suite, passed: stats.passes, failed: stats.failures, pending: stats.pending, lines }));
      if (failures > 0) reject(new Error(line));
      else resolve();
    });
    // A compact report for launchers that cannot read the extension host's console.
    runner.on('pass', (t) => lines.push(`  ✔ ${t.fullTitle()} (${t.duration ?? 0} ms)`));
    runner.on('fail', (t, err: Error) => lines.push(`  ✘ ${t.fullTitle()}\n      ${String(err.stack ?? err.message).split('\n').slice(0, 6).join('\n      ')}`));
  });
}
