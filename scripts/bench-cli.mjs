// `npm run bench:cli`: the fixed start-up of the CLI (issue 17): `envtrace -- true` (a traced
// command that does nothing, so all of the time is envtrace's) and `envtrace --version`,
// against `node -e 0` measured in the same run, interleaved, medians of N runs. One untimed
// `envtrace -- true` first fills the caches (go env answers, the overlay) as on any later run.
// Goal: `envtrace -- true` ≤ 0.05 s. Not a test; prints figures.
// Usage: node scripts/bench-cli.mjs [--runs N]   (builds first)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 20;
const GOAL = 0.05;

spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
const cli = join(root, 'dist', 'cli.js');
const cwd = mkdtempSync(join(os.tmpdir(), 'envtrace-bench-cli-'));
const store = cwd; // runs go to <cwd>/.envtrace

const rows = {
  'node -e 0': [process.execPath, '-e', '0'],
  'envtrace --version': [process.execPath, cli, '--version'],
  'envtrace -- true': [process.execPath, cli, '--quiet', '--dir', store, '--keep', '5', '--', 'true'],
};
const once = (argv) => {
  const t = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return (performance.now() - t) / 1000;
};
once(rows['envtrace -- true']);
const times = Object.fromEntries(Object.keys(rows).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) for (const [name, argv] of Object.entries(rows)) times[name].push(once(argv));
rmSync(cwd, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const f = (x) => x.toFixed(3);
const node = median(times['node -e 0']);
for (const [name, xs] of Object.entries(times)) {
  console.log(`${name.padEnd(20)} median ${f(median(xs))} s, min ${f(Math.min(...xs))} s over ${RUNS} (×${(median(xs) / node).toFixed(1)} node -e 0)`);
}
const run = median(times['envtrace -- true']);
console.log(`(load ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores: wall times grow when other processes share them)`);
console.log(`summary start-up: envtrace -- true ${f(run)} s, ×${(run / node).toFixed(1)} node -e 0 (${f(node)} s; ${f(run - node)} s beyond node's own start-up); goal ≤ ${GOAL} s: ${run <= GOAL ? 'met' : 'missed'}`);
