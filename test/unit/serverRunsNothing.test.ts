/**
 * The language server runs no program: it starts before the workspace is trusted and
 * reads a clone as it is, so no module it loads may start a process (running is the
 * client's job, through the CLI, and only in trusted workspaces).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** Every source file reachable from `entry` through relative imports, with the bare modules each imports. */
function importClosure(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    const bare: string[] = [];
    seen.set(file, bare);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1];
      if (!spec.startsWith('.')) {
        bare.push(spec);
        continue;
      }
      // A lazy `import('./x.js')` names the compiled file of x.ts (TypeScript's node16 rule).
      const base = path.resolve(path.dirname(file), spec.replace(/\.js$/, ''));
      const found = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f));
      assert.ok(found, `${file}: import ${spec} resolves`);
      todo.push(found);
    }
  }
  return seen;
}

describe('language server: runs no program', () => {
  for (const entry of ['server/src/main.ts', 'server/src/scan/worker.ts']) {
    it(`${entry} loads no module that can start a process`, () => {
      const closure = importClosure(path.join(root, entry));
      assert.ok(closure.size > 10, `walked the modules (${closure.size})`);
      const spawning = [...closure].filter(([, bare]) => bare.some((b) => /^(node:)?child_process$/.test(b))).map(([f]) => path.relative(root, f));
      assert.deepEqual(spawning, []);
    });
  }

  it('the CLI, which does run programs, is caught by the same walk', () => {
    const closure = importClosure(path.join(root, 'server/src/cli/main.ts'));
    assert.ok([...closure.values()].some((bare) => bare.includes('node:child_process') || bare.includes('child_process')));
  });
});
