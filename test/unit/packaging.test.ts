/**
 * The VSIX holds exactly the allowlisted files (`vsce ls` against .vscodeignore), and
 * `npm run package`, run as the README says in a copy of the repository with no environment
 * variable set, writes a VSIX under 5 MB with the bundles and the wasm files, whose README
 * points its images and links at the repository (VS Code shows no image from inside a VSIX).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

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
  'dist/cli-run.js',
  'dist/cli-main.js',
  'dist/otlpCommands.js',
  'dist/scanner.js',
  'dist/scan-worker.js',
  'dist/webview/flame.js',
  'dist/webview/flame.css',
  'dist/webview/timeline.js',
  'dist/webview/graph.js',
  'dist/web-tree-sitter.wasm',
  'dist/tree-sitter-go.wasm',
  'syntaxes/envtrace-trace.tmLanguage.json',
  'schemas/envtrace.schema.json',
];
/** The README's relative links and images (`[text](path)`). */
const readmeLinks = [...readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)]
  .map((m) => m[1])
  .filter((l) => !/^\w+:/.test(l) && !l.startsWith('#'));
/** Files the VSIX may hold besides: the recorder's Go source, copied to dist/go by the build. */
const allowed = [/^dist\/go\/[^/].*$/];

function vsceRun(args: string[]): string {
  const r = spawnSync(process.execPath, [vsce, ...args], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `vsce ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

describe('packaging', () => {
  it('vsce ls lists exactly the allowlisted files and every built bundle', () => {
    const files = vsceRun(['ls', '--no-dependencies']).split('\n').map((l) => l.trim()).filter(Boolean).sort();
    const built = readdirSync(path.join(root, 'dist')).filter((f) => /\.(js|wasm)$/.test(f)).map((f) => `dist/${f}`);
    const missing = [...new Set([...required, ...built])].filter((f) => !files.includes(f));
    const unexpected = files.filter((f) => !required.includes(f) && !allowed.some((re) => re.test(f)));
    assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
    assert.ok(!files.some((f) => f.startsWith('node_modules/') || f.endsWith('.map') || f.endsWith('.ts')));
  });

  it('the README\'s relative links and images name files of the repository', () => {
    assert.ok(readmeLinks.some((l) => l.endsWith('.png')), 'the README shows pictures');
    assert.deepEqual(readmeLinks.filter((l) => !existsSync(path.join(root, l.split('#')[0]))), []);
  });

  it('`npm run package` in a clean copy writes a VSIX with the bundles, the wasm files and the README pointing at the repository', async () => {
    const { packageInCopy, zipEntries } = await import(pathToFileURL(path.join(root, 'test', 'harness', 'vsix.mjs')).href);
    const { vsix, cleanup } = packageInCopy();
    try {
      const size = statSync(vsix).size;
      assert.ok(size < 5 * 1024 * 1024, `VSIX is ${size} bytes`);
      const entries: Map<string, { read(): Buffer }> = zipEntries(vsix);
      // vsce stores these three under its own names.
      const renamed: Record<string, string> = { 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md', LICENSE: 'LICENSE.txt' };
      const inside = (f: string): string => `extension/${renamed[f] ?? f}`;
      const manifest = JSON.parse(entries.get(inside('package.json'))!.read().toString('utf8'));
      const packed = [manifest.main, manifest.icon, ...required].map((f: string) => inside(path.posix.normalize(f)));
      assert.deepEqual(packed.filter((f) => !entries.has(f)), [], 'missing from the VSIX');
      // Images from the repository's raw files, links to its pages: https, as VS Code requires.
      const repo = manifest.repository.url.replace(/\.git$/, '');
      const readme = entries.get(inside('README.md'))!.read().toString('utf8');
      for (const l of readmeLinks) {
        const url = `${repo}/${l.endsWith('.png') ? 'raw' : 'blob'}/HEAD/${l}`;
        assert.ok(readme.includes(`](${url})`), `README link ${l} → ${url}`);
      }
      assert.match(repo, /^https:\/\//);
    } finally {
      cleanup();
    }
  });
});
