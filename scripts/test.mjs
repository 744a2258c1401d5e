// The README's test command: builds, compiles the tests, and runs every suite.
// `npm test -- unit server` runs only the named suites. Before the `go` suite it fetches what
// that suite builds with (older Go toolchains and the fixtures' modules, from the module proxy
// into the module cache; quick once there) and the OpenTelemetry Collector its OTLP tests send
// to (scripts/otelcol.mjs, built once into the cache). `vscode` runs the tests inside VS Code
// (code-server + Chromium, installed into .tools/ on first use) after the others.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const all = ['unit', 'server', 'go', 'vscode'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = wanted.length ? wanted : all;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(process.execPath, ['scripts/build.mjs']);
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b']);
if (suites.includes('go')) {
  run('bash', ['scripts/install-go-toolchains.sh']);
  run('bash', ['scripts/download-go-modules.sh']);
  // The OpenTelemetry Collector that envtrace export/ship send to (built once, cached).
  run(process.execPath, ['scripts/otelcol.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const dirs = suites.map((s) => join('out', 'test', s)).filter((d) => existsSync(join(root, d)));
if (dirs.length) run(process.execPath, ['--test', '--test-reporter=spec', ...dirs]);
if (suites.includes('vscode')) run(process.execPath, ['scripts/test-vscode.mjs', '--no-build']);
