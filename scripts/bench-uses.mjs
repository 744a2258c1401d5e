// bench:scan's uses row (issue 15): the scan of the same tree, then the uses analysis over its
// sites (scan --json's added cost), in a fresh process. Imported by bench-scan.mjs; also runs
// alone: `node scripts/bench-uses.mjs [TREE]`.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Prints the row: the analysis' wall time against the scan's, files it parsed, uses found. */
export function usesRow(tree, workers) {
  const engine = join(root, 'out', 'server', 'src', 'scan', 'index.js');
  const uses = join(root, 'out', 'server', 'src', 'cli', 'scanUses.js');
  const child = `
const { createScanner, loadTree } = require(${JSON.stringify(engine)});
const { indexUses } = require(${JSON.stringify(uses)});
(async () => {
  const scanner = await createScanner();
  const index = scanner.createIndex(${JSON.stringify(tree)});
  const t0 = performance.now();
  await loadTree(index, { workers: ${workers} });
  const sites = index.allSites();
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const r = await indexUses(index, sites);
  const t2 = performance.now();
  const c2 = process.cpuUsage(c1);
  const risks = {};
  for (const k of Object.values(r.keys)) risks[k.risk] = (risks[k.risk] ?? 0) + 1;
  console.log(JSON.stringify({ scan: t1 - t0, uses: t2 - t1, usesCpu: (c2.user + c2.system) / 1000, scanCpu: (c1.user + c1.system) / 1000, reads: sites.filter((s) => s.kind === 'read').length,
    found: r.siteUses.reduce((n, u) => n + (u ? u.length : 0), 0), parsed: r.stats.parsedFiles, failures: r.stats.failures, risks }));
})();
`;
  const r = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) return void process.stderr.write(r.stderr);
  const x = JSON.parse(r.stdout.trim().split('\n').pop());
  const s = (ms) => (ms / 1000).toFixed(3);
  console.log(`uses analysis   +${s(x.uses)} s after a scan of ${s(x.scan)} s (+${((100 * x.uses) / x.scan).toFixed(0)}%; cpu +${s(x.usesCpu)} s after ${s(x.scanCpu)} s): ${x.reads} read sites, ${x.found} uses, ` +
    `${x.parsed} parses (partial or whole files), ${x.failures} failures; keys by risk ${JSON.stringify(x.risks)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tree = process.argv[2] ?? join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src');
  usesRow(tree, 3);
}
