// bench:scan's uses row (issue 15): what the uses analysis adds to a scan (scan --json's added
// cost). In fresh processes, median of RUNS each, alternating: a plain scan, and a scan that keeps
// the local flows on its trees followed by the uses analysis over its sites. Imported by
// bench-scan.mjs; also runs alone: `node scripts/bench-uses.mjs [TREE]`.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const RUNS = 3;

/** Prints the row: scan + uses against the plain scan (wall and cpu), files it parsed, uses found. */
export function usesRow(tree, workers) {
  const engine = join(root, 'out', 'server', 'src', 'scan', 'index.js');
  const uses = join(root, 'out', 'server', 'src', 'cli', 'scanUses.js');
  const child = (withUses) => `
const { createScanner, loadTree } = require(${JSON.stringify(engine)});
const { indexUses } = require(${JSON.stringify(uses)});
(async () => {
  const scanner = await createScanner();
  const index = scanner.createIndex(${JSON.stringify(tree)});
  index.keepLocalFlows = ${withUses};
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await loadTree(index, { workers: ${workers} });
  const sites = index.allSites();
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const r = ${withUses} ? await indexUses(index, sites) : null;
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  const risks = {};
  for (const k of Object.values(r?.keys ?? {})) risks[k.risk] = (risks[k.risk] ?? 0) + 1;
  const ms = (c) => (c.user + c.system) / 1000;
  console.log(JSON.stringify({ scan: t1 - t0, uses: t2 - t1, wall: t2 - t0, cpu: ms(c2) - ms(c0), scanCpu: ms(c1) - ms(c0), reads: sites.filter((s) => s.kind === 'read').length,
    found: r ? r.siteUses.reduce((n, u) => n + (u ? u.length : 0), 0) : 0, parsed: r?.stats.parsedFiles ?? 0, failures: r?.stats.failures ?? 0, risks }));
})();
`;
  const run = (withUses) => {
    const r = spawnSync(process.execPath, ['-e', child(withUses)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };
  const plain = [];
  const full = [];
  try {
    for (let i = 0; i < RUNS; i++) (plain.push(run(false)), full.push(run(true)));
  } catch (e) {
    return void process.stderr.write(String(e.message ?? e));
  }
  const median = (xs, f) => xs.map(f).sort((a, b) => a - b)[xs.length >> 1];
  const s = (ms) => (ms / 1000).toFixed(3);
  const pw = median(plain, (x) => x.wall);
  const fw = median(full, (x) => x.wall);
  const pc = median(plain, (x) => x.cpu);
  const fc = median(full, (x) => x.cpu);
  const x = full[0];
  console.log(`uses analysis   scan ${s(pw)} s → scan + uses ${s(fw)} s (+${((100 * (fw - pw)) / pw).toFixed(0)}%; of which uses ${s(median(full, (y) => y.uses))} s after the scan); ` +
    `cpu ${s(pc)} → ${s(fc)} s (+${((100 * (fc - pc)) / pc).toFixed(0)}%); median of ${RUNS}: ${x.reads} read sites, ${x.found} uses, ` +
    `${x.parsed} parses beyond the scan's (partial or whole files), ${x.failures} failures; keys by risk ${JSON.stringify(x.risks)}`);
  console.log(`summary uses: the uses analysis adds ${((100 * (fw - pw)) / pw).toFixed(0)}% wall, ${((100 * (fc - pc)) / pc).toFixed(0)}% cpu to the scan; goal < 100%: ${fw < 2 * pw ? 'met' : 'missed'}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tree = process.argv[2] ?? join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src');
  usesRow(tree, 3);
}
