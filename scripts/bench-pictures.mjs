// `npm run bench:pictures`: writes a recorded run of 1,000,000 events (4 processes, 32
// goroutines each, 1,000 keys over 200 stacks, a test per goroutine), then measures what
// opening each picture costs in the engine — the data the server hands the webview — against
// the baseline of reading the run with every event resolved and dropped (and, for reference, with
// no event visitor at all), in one process (best of --repeat N, default 1):
// flame graph (read + aggregate + tree), timeline (read + columns + races + first window),
// a zoomed timeline window (the run is held: only the cut), and the report's aggregate for scale.
// Goal: each view's data under 2 s. Not a test; prints figures.
// Usage: node scripts/bench-pictures.mjs [--events N] [--repeat N] [--keep DIR]
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xorshift32 } from './bench/prng.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const EVENTS = Number(flag('--events', 1_000_000));
const keep = flag('--keep', null);
const REPEAT = Number(flag('--repeat', 1));
const PROCS = 4;
const GOROUTINES = 32;
const STACKS = 200;
const KEYS = 1000;

spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'server'], { cwd: root, stdio: 'inherit' });
const out = join(root, 'out', 'server', 'src');
if (!existsSync(join(out, 'runs', 'flame.js'))) throw new Error('no compiled engine in out/');
const require = createRequire(import.meta.url);
const { readRun } = require(join(out, 'runs', 'reader.js'));
const { readOptionsFor, aggregateRun } = require(join(out, 'runs', 'load.js'));
const { collectFlame } = require(join(out, 'runs', 'flame.js'));
const { collectTimeline } = require(join(out, 'runs', 'timeline.js'));
const { timelineWindow } = require(join(out, 'runs', 'timelineView.js'));
const { readRunInfo } = require(join(out, 'runs', 'store.js'));

const base = keep ?? mkdtempSync(join(tmpdir(), 'envtrace-bench-pictures-'));
const runDir = join(base, '20991231-235959-pictur');
mkdirSync(runDir, { recursive: true });
writeFileSync(join(runDir, 'run.json'), JSON.stringify({ id: '20991231-235959-pictur', label: 'bench', command: ['bench'], cwd: base, start: 4102444799000, end: 4102444800000, exitCode: 0 }));

const rnd = xorshift32();
const t0 = Date.now();
const perProc = Math.ceil(EVENTS / PROCS);
const wall0 = 4102444799000000000n;
for (let p = 0; p < PROCS; p++) {
  const pid = 1000 + p;
  const mono0 = 1e12 + p * 1e9;
  const fd = openSync(join(runDir, `${pid}-${wall0 + BigInt(p) * 1000000000n}.jsonl`), 'w');
  let buf = JSON.stringify({ t: 'P', v: 1, pid, ppid: 1, parent: 0, run: 'bench', argv: ['/bench/svc' + p], cwd: base, go: 'go1.26.8', os: 'linux', arch: 'amd64', wall: Number(wall0) + p * 1e9, mono: mono0, depth: 16 }) + '\n';
  for (let s = 1; s <= STACKS; s++) {
    const op = s % 10 === 0 ? 'os.Setenv' : 'os.Getenv';
    const f = [[op, '/usr/local/go/src/os/env.go', 101], [`example.com/bench/svc${s % 10}.read${s}`, `/bench/svc${s % 10}/f${s}.go`, 10 + (s % 50)], [`example.com/bench/svc${s % 10}.Load`, `/bench/svc${s % 10}/load.go`, 5 + (s % 7)], ['main.main', '/bench/main.go', 12]];
    buf += JSON.stringify({ t: 'S', id: s, f }) + '\n';
  }
  for (let g = 1; g <= GOROUTINES; g++) buf += JSON.stringify({ t: 'T', g: g + 10, pg: 1, name: `TestBench/${p}_${g}`, t0: mono0 + g }) + '\n';
  for (let i = 1; i <= perProc; i++) {
    const s = 1 + rnd(STACKS);
    const g = 11 + rnd(GOROUTINES);
    const t = mono0 + i * 2000;
    const ev = s % 10 === 0 ? { t: 'E', seq: i, g, pg: 1, op: 'setenv', k: `KEY_${rnd(KEYS)}`, ok: true, v: 'x', t0: t, t1: t + 500, s } : { t: 'E', seq: i, g, pg: 1, op: 'getenv', k: `KEY_${rnd(KEYS)}`, ok: rnd(5) > 0, v: 'v', t0: t, t1: t + 500, s };
    if (!ev.ok && ev.op === 'getenv') delete ev.v;
    buf += JSON.stringify(ev) + '\n';
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  for (let g = 1; g <= GOROUTINES; g++) buf += JSON.stringify({ t: 'TE', g: g + 10, t1: mono0 + perProc * 2000 + g }) + '\n';
  writeSync(fd, buf);
  closeSync(fd);
}
console.log(`bench:pictures: wrote ${EVENTS.toLocaleString('en')} events in ${PROCS} processes (${Date.now() - t0} ms)`);

const run = { dir: runDir, info: await readRunInfo(runDir) };
async function best(label, fn) {
  let min = Infinity;
  let note = '';
  for (let i = 0; i < REPEAT; i++) {
    const s = performance.now();
    note = (await fn()) ?? '';
    min = Math.min(min, performance.now() - s);
  }
  return { label, ms: min, note };
}
const rows = [];
rows.push(await best('baseline: read the run (no visitor)', async () => void (await readRun(runDir, {}, readOptionsFor(run)))));
// The reader resolves each event (stack facts, test, paths) only for a visitor that takes events.
rows.push(await best('baseline: read + resolve every event (no-op)', async () => void (await readRun(runDir, { event() {} }, readOptionsFor(run)))));
const baseline = rows[1].ms;
rows.push(await best('flame graph: read + aggregate + tree', async () => {
  const { flame } = await collectFlame(run);
  const tree = flame.tree();
  return `${JSON.stringify(tree).length.toLocaleString('en')} bytes to the webview`;
}));
let held;
rows.push(await best('timeline: read + columns + races + window', async () => {
  const { timeline } = await collectTimeline(run);
  held = timeline;
  const w = timelineWindow(timeline, undefined, undefined, 1200);
  return `${w.lanes.length} lanes, ${w.density ? w.density.length + ' density cells' : w.marks.length + ' marks'}, ${JSON.stringify(w).length.toLocaleString('en')} bytes`;
}));
rows.push(await best('timeline: a zoomed window of the held run', async () => {
  // 2 ms from the first process's first events: marks, not density.
  const w = timelineWindow(held, 0, 2000, 1200);
  return `${w.marks ? w.marks.length + ' marks' : w.density.length + ' cells'}`;
}));
rows.push(await best('for scale: the report\'s aggregate (hover data)', async () => void (await aggregateRun(run))));
for (const r of rows) console.log(`${r.label.padEnd(46)} ${r.ms.toFixed(0).padStart(6)} ms  ${(r.ms / baseline).toFixed(2)}× baseline  ${r.ms < 2000 ? 'ok' : 'OVER 2 s'}  ${r.note}`);
if (!keep) rmSync(base, { recursive: true, force: true });
