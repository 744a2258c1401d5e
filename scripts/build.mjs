// Bundles the client, the language server and the CLI into dist/ with esbuild,
// and copies what they load at run time (tree-sitter wasm, the recorder's Go source).
import { build } from 'esbuild';
import { chmodSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const dist = join(root, 'dist');
const production = process.argv.includes('--production');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

/** Resolves the scanner's lazy import (cli/deferSites.ts) to dist/scanner.js, outside the bundle. */
const scannerApart = {
  name: 'scanner-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/scan\/index\.js$/ }, () => ({ path: './scanner.js', external: true }));
  },
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  // The `envtrace` executable is a small loader (bin.ts) of one of two bundles: the run path
  // alone for `envtrace -- cmd` (its start-up, issue 17), or the whole CLI.
  build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The scanner (web-tree-sitter and scan/, over half of the run path's code) is loaded by a
  // traced run only to place deferred env calls, which few runs have: a bundle of its own
  // (dist/scanner.js), so `envtrace -- cmd` does not parse it at start-up.
  build({ ...common, entryPoints: ['server/src/cli/mainRun.ts'], outfile: 'dist/cli-run.js', plugins: [scannerApart] }),
  build({ ...common, entryPoints: ['server/src/scan/index.ts'], outfile: 'dist/scanner.js' }),
  // `envtrace export --otlp` and `envtrace ship` load the OpenTelemetry SDK: a bundle of their
  // own, required by cli-main.js only when one of them runs.
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-main.js', external: ['./otlpCommands.js'] }),
  build({ ...common, entryPoints: ['server/src/cli/otlpCommands.ts'], outfile: 'dist/otlpCommands.js' }),
  // Parse worker threads of the scanner (loaded by server.js and cli.js from beside them).
  build({ ...common, entryPoints: ['server/src/scan/worker.ts'], outfile: 'dist/scan-worker.js' }),
  // The webviews' scripts (flame graph, timeline, dependency graph), with their libraries bundled: no CDN.
  // d3-flame-graph imports its stylesheet, which esbuild writes beside as flame.css.
  build({
    ...common,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    minify: true,
    sourcemap: false,
    entryPoints: { flame: 'client/webview/flame.ts', timeline: 'client/webview/timeline.ts', graph: 'client/webview/graph.ts' },
    outdir: 'dist/webview',
  }),
]);

cpSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(dist, 'web-tree-sitter.wasm'));
cpSync(join(dirname(require.resolve('tree-sitter-go/package.json')), 'tree-sitter-go.wasm'), join(dist, 'tree-sitter-go.wasm'));
cpSync(join(root, 'server', 'go'), join(dist, 'go'), { recursive: true });
chmodSync(join(dist, 'cli.js'), 0o755);
