// `npm run bench:scan`: indexes $(go env GOROOT)/src with the static scanner and prints
// files, sites, wall seconds (cold, in a fresh process), peak RSS, the ratio to a plain text
// search over the same tree, and the median time to re-index one edited file.
// Summary line (issue 17): `envtrace scan --json` (the built CLI) against the text search; goal
// ≤ 0.5 s and ≤ 10× ripgrep.
// A last row (issue 10): one file of 10,000 nested calls f(f(…)) against an ordinary file of the
// same size, each scanned and indexed alone.
// Usage: node scripts/bench-scan.mjs [DIR] [--edits N] [--workers N]   (compiles first; not a test)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const editsAt = args.indexOf('--edits');
const edits = editsAt >= 0 ? Number(args.splice(editsAt, 2)[1]) : 50;
const workersAt = args.indexOf('--workers');
const workers = workersAt >= 0 ? Number(args.splice(workersAt, 2)[1]) : Math.max(1, Math.min(4, os.availableParallelism() - 1));
const tree = args[0] ?? join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src');
const engine = join(root, 'out', 'server', 'src', 'scan', 'index.js');

spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'server'], { cwd: root, stdio: 'inherit' });
if (!existsSync(engine)) throw new Error(`no compiled engine at ${engine}`);

// Runs in a fresh node process so that "cold" means cold (no warm JIT, no cached wasm).
const child = `
const t0 = performance.now();
const { createScanner, loadTree } = require(${JSON.stringify(engine)});
(async () => {
  const scanner = await createScanner();
  const t1 = performance.now();
  const index = scanner.createIndex(${JSON.stringify(tree)});
  const files = await loadTree(index, { workers: ${workers} });
  const t2 = performance.now();
  const sites = index.allSites().length;
  const t3 = performance.now();
  const cpu = process.cpuUsage();
  const out = { files, sites, cpu: (cpu.user + cpu.system) / 1e6, wall: (t3 - t0) / 1000, init: (t1 - t0) / 1000, read: (t2 - t1) / 1000, scan: (t3 - t2) / 1000,
                rssMB: process.resourceUsage().maxRSS / 1024, stats: { ...index.stats } };
  // Re-index one edited file, N times over different files (median).
  const edits = ${edits};
  const e0 = performance.now();
  if (edits > 0) {
    const withSites = [...new Set(index.allSites().map((s) => s.file))];
    const others = index.goFiles().filter((_, i) => i % 97 === 0);
    const fs = require('node:fs');
    const path = require('node:path');
    const times = [];
    let seed = 42;
    const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let i = 0; i < edits; i++) {
      const file = i % 2 === 0 && withSites.length ? path.join(${JSON.stringify(tree)}, withSites[rnd(withSites.length)]) : others[rnd(others.length)];
      const text = fs.readFileSync(file, 'utf8');
      const at = text.lastIndexOf('\\n}');
      const edited = at > 0 ? text.slice(0, at) + '\\n\\t_ = ' + (i % 3 === 0 ? 'os.Getenv("BENCH_' + i + '")' : i) + text.slice(at) : text + '\\n// ' + i;
      const s = performance.now();
      index.setFile(file, edited);
      index.refresh();
      times.push(performance.now() - s);
      index.setFile(file, text);
      index.refresh();
    }
    times.sort((a, b) => a - b);
    out.editMedianMs = times[times.length >> 1];
    out.editMaxMs = times[times.length - 1];
  }
  out.editsWall = (performance.now() - e0) / 1000;
  console.log(JSON.stringify(out));
})();
`;
const t = performance.now();
const r = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8', maxBuffer: 1 << 26 });
const processWall = (performance.now() - t) / 1000;
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(1);
}
const m = JSON.parse(r.stdout.trim().split('\n').pop());

// The plain text search over the same tree, in the same run.
const hasRg = spawnSync('rg', ['--version']).status === 0;
const g0 = performance.now();
const g = hasRg
  ? spawnSync('rg', ['-l', '-g', '*.go', 'Getenv|LookupEnv|Setenv|Unsetenv|Clearenv|Environ', tree], { maxBuffer: 1 << 26 })
  : spawnSync('grep', ['-rlE', '--include=*.go', 'Getenv|LookupEnv|Setenv|Unsetenv|Clearenv|Environ', tree], { maxBuffer: 1 << 26 });
const grepWall = (performance.now() - g0) / 1000;
const grepFiles = String(g.stdout).split('\n').filter(Boolean).length;

const f = (x) => x.toFixed(3);
console.log(`tree            ${tree}`);
console.log(`files           ${m.files}`);
console.log(`sites           ${m.sites}`);
console.log(`wall cold       ${f(m.wall)} s in process (init ${f(m.init)}, walk+read ${f(m.read)}, filter+parse+resolve ${f(m.scan)}); ${f(processWall - m.editsWall)} s with node start-up`);
console.log(`cpu time        ${f(m.cpu)} s (all threads; wall time suffers when other processes share the cores: load ${os.loadavg()[0].toFixed(1)})`);
console.log(`peak RSS        ${m.rssMB.toFixed(0)} MB`);
const st = m.stats;
console.log(`parsing         ${workers} worker thread(s); ${st.parses} parses on the main thread (${f(st.parseMs / 1000)} s); ` +
  `${(st.parsedChars / 1e6).toFixed(2)} MB parsed of ${((st.parsedChars + st.skippedChars) / 1e6).toFixed(2)} MB in parsed files; ${st.failures} failures`);
console.log(`${hasRg ? 'rg -l' : 'grep -rl'}        ${f(grepWall)} s (${grepFiles} files) → scanner/text-search ratio ${(m.wall / grepWall).toFixed(1)}×`);
// The command itself, as a user runs it (the built CLI, output to /dev/null).
spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
const cliRun = (flags) => {
  const c0 = performance.now();
  const cli = spawnSync('/bin/sh', ['-c', `"$0" "$1" scan ${flags} "$2" >/dev/null`, process.execPath, join(root, 'dist', 'cli.js'), tree], { encoding: 'utf8' });
  if (cli.status !== 0) process.stderr.write(cli.stderr);
  return (performance.now() - c0) / 1000;
};
// Text output has no uses (no uses analysis): the difference is what --json adds.
const textWall = cliRun('');
const cliWall = cliRun('--json');
const ratio = cliWall / grepWall;
console.log(`envtrace scan --json  ${f(cliWall)} s (the built CLI, cold process); envtrace scan (text, no uses) ${f(textWall)} s`);
console.log(`summary scan: envtrace scan --json ${f(cliWall)} s, ×${ratio.toFixed(1)} ${hasRg ? 'rg' : 'grep'} (${f(grepWall)} s); goal ≤ 0.5 s and ≤ 10×: ${cliWall <= 0.5 && ratio <= 10 ? 'met' : 'missed'}`);
if (m.editMedianMs !== undefined) console.log(`re-index edit   median ${m.editMedianMs.toFixed(2)} ms, max ${m.editMaxMs.toFixed(2)} ms over ${edits} edits`);

// The deep-nesting row: the same index work on a pathological file and on an ordinary one.
const deepChild = `
const { createScanner } = require(${JSON.stringify(engine)});
(async () => {
  const scanner = await createScanner();
  const head = 'package main\\n\\nimport "os"\\n\\nfunc f(s string) string { return s }\\n\\n';
  const deep = head + 'func main() {\\n\\t_ = ' + 'f('.repeat(10000) + 'os.Getenv("DEEP")' + ')'.repeat(10000) + '\\n}\\n';
  let normal = head;
  for (let i = 0; normal.length < deep.length; i++) normal += 'func g' + i + '(s string) string {\\n\\tif v := os.Getenv("KEY_' + i + '"); v != "" {\\n\\t\\treturn v\\n\\t}\\n\\treturn s\\n}\\n\\n';
  const out = {};
  for (const [name, text] of [['deep', deep], ['normal', normal]]) {
    const index = scanner.createIndex('/bench');
    const t = performance.now();
    index.setFile('/bench/' + name + '.go', text);
    const sites = index.allSites().length;
    out[name] = { ms: performance.now() - t, kb: text.length / 1024, sites, notes: index.notes().length };
  }
  console.log(JSON.stringify(out));
})();
`;
const d = spawnSync(process.execPath, ['-e', deepChild], { encoding: 'utf8' });
if (d.status === 0) {
  const x = JSON.parse(d.stdout.trim().split('\n').pop());
  console.log(`deep nesting    10,000 nested calls: ${f(x.deep.ms / 1000)} s (${x.deep.kb.toFixed(0)} KB, ${x.deep.notes} note); ordinary file of the same size: ${f(x.normal.ms / 1000)} s (${x.normal.sites} sites)`);
} else process.stderr.write(d.stderr);

// The uses analysis' added cost (issue 15), in its own module.
(await import('./bench-uses.mjs')).usesRow(tree, workers);
