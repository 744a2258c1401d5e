/**
 * The VSIX holds exactly the allowlisted files (`vsce ls` against .vscodeignore) and stays under
 * 5 MB. Runs vsce 3.9 on the build that `npm test` has just made.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

/** Files the VSIX must hold (exact paths). */
const required = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'images/icon.png',
  'images/activity.svg',
  'dist/client.js',
  'dist/server.js',
  'dist/cli.js',
  'dist/web-tree-sitter.wasm',
  'dist/tree-sitter-go.wasm',
  'syntaxes/envtrace-trace.tmLanguage.json',
];
/** Files the VSIX may hold besides: the recorder's Go source, copied to dist/go by the build. */
const allowed = [/^dist\/go\/[^/].*$/];

function vsceRun(args: string[]): string {
  const r = spawnSync(process.execPath, [vsce, ...args], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `vsce ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

describe('packaging', () => {
  it('vsce ls lists exactly the allowlisted files', () => {
    const files = vsceRun(['ls', '--no-dependencies']).split('\n').map((l) => l.trim()).filter(Boolean).sort();
    const missing = required.filter((f) => !files.includes(f));
    const unexpected = files.filter((f) => !required.includes(f) && !allowed.some((re) => re.test(f)));
    assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
    assert.ok(!files.some((f) => f.startsWith('node_modules/') || f.endsWith('.map') || f.endsWith('.ts')));
  });

  it('packs a VSIX under 5 MB whose manifest names the icon and the bundles', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'envtrace-vsix-'));
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    try {
      const out = path.join(dir, 'envtrace.vsix');
      // Relative README images need a repository (or base URLs) for vsce; this VSIX is only measured.
      const base = manifest.repository ? [] : ['--baseContentUrl', 'https://example.invalid/', '--baseImagesUrl', 'https://example.invalid/'];
      vsceRun(['package', '--no-dependencies', '--allow-missing-repository', ...base, '--out', out]);
      const size = statSync(out).size;
      assert.ok(size < 5 * 1024 * 1024, `VSIX is ${size} bytes`);
      assert.equal(manifest.main, './dist/client.js');
      assert.equal(manifest.icon, 'images/icon.png');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
