// `npm run bench:pictures`: writes two recorded runs of 1,000,000 events (4 processes, 32
// goroutines each, 1,000 keys over 200 stacks, a test per goroutine, every key written and
// read by many goroutines, so race analysis has the most to do; scripts/bench/pictureRun.mjs)
// and two of 1,000, then measures opening each picture, in two halves.
// The engine: the data the language server answers the view with, including the message's
// JSON encoding and decoding. Baselines in the same process: reading the run (no visitor;
// every event resolved and dropped), the report's aggregate, and one read of the run per view
// (what the views did before the picture index). Both views are cut from one pass kept per run
// (runs/pictureIndex.ts): the first view opened pays the pass, the other view, filters and
// zooms do not; the timeline's race lines follow in a pass of their own. Compare Runs is what
// `envtrace/diff` does (each run read into observations, race analysis included).
// The browser (scripts/bench/pictureBrowser.mjs; needs the e2e harness: playwright-core under
// ENVTRACE_TOOLS, Chromium): each view's real page in Chromium, handed the message the
// extension posts, timed to the paint after drawing, against the same page with a 1,000-event
// run. The panels ask the server as they open, so a view's total is the larger of the page's
// load and the engine, plus the transfer and the drawing; by CPU, the engine's CPU time plus
// the page's main-thread time. Goal: each view opens in under 2 s; race lines have none (the
// lanes say "analysing races…" until they come).
// Figures (2-core machine shared by several jobs, load average 5-18, so by CPU; 1M events;
// before = the first run of this script, at 567faa4):
// - flame graph: engine 2.1-2.4 s CPU (1.54 s wall on an idle machine, measured before), the
//   page 0.3-0.8 s of main thread for 612 frames (0.68 MB message); by CPU 2.5-2.8 s in all
//   on the busy machine. On an idle one about 2 s: at the goal, not clearly under it.
// - timeline: engine 1.4-1.7 s CPU (1.40 s wall idle); the page's main thread 1.44 s for
//   11,080 density cells before they were merged, 0.27-0.56 s for 1,115 cells since; by CPU
//   1.9-2.0 s in all. Race lines: 4.1-4.9 s CPU of race analysis after the lanes, then
//   0.6-0.85 s to draw (2.1 s before).
// - Compare Runs of two such runs: 37.6 s CPU before, 23-27 s since each run is read once
//   (the per-service read only for fleets); the table itself 0.2-0.3 s. Far over: reading a
//   run into observations (310,000 distinct stack/key/value entries here) and its race
//   analysis cost ~12 s CPU per run; the pictures' own pass does not build them.
// Wall and CPU times, best of --repeat N (default 1). Not a test; prints figures.
// Usage: node scripts/bench-pictures.mjs [--events N] [--repeat N] [--keep DIR] [--no-aggregate]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePictureRun } from './bench/pictureRun.mjs';
import { browserMissing, openPictureBrowser } from './bench/pictureBrowser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const EVENTS = Number(flag('--events', 1_000_000));
const keep = flag('--keep', null);
const REPEAT = Number(flag('--repeat', 1));
/** The baseline run of the browser half: the same pages with a run this small. */
const SMALL = 1000;

// The engine (server/) and the pages' builder (client/src/webviews/page.ts, picturePages.ts).
spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'server', 'client'], { cwd: root, stdio: 'inherit' });
const out = join(root, 'out', 'server', 'src');
const require = createRequire(import.meta.url);
const { readRun } = require(join(out, 'runs', 'reader.js'));
const { readOptionsFor, aggregateRun } = require(join(out, 'runs', 'load.js'));
const { collectFlame } = require(join(out, 'runs', 'flame.js'));
const { PictureCache } = require(join(out, 'runs', 'pictureIndex.js'));
const { collectTimeline } = require(join(out, 'runs', 'timeline.js'));
const { timelineWindow } = require(join(out, 'runs', 'timelineView.js'));
const { readRunInfo } = require(join(out, 'runs', 'store.js'));
const { diffRuns } = require(join(out, 'analysis', 'diff.js'));
const { diffServices, loadServices } = require(join(out, 'analysis', 'fleetDiff.js'));
const { renderDiffText } = require(join(out, 'analysis', 'diffText.js'));
const { fleetGroups } = require(join(out, 'runs', 'fleetGroups.js'));
const { addRun } = require(join(out, 'analysis', 'loadObservations.js'));
const { ObservationsBuilder } = require(join(out, 'analysis', 'observations.js'));
const pages = require(join(root, 'out', 'client', 'src', 'webviews', 'picturePages.js'));

const base = keep ?? mkdtempSync(join(tmpdir(), 'envtrace-bench-pictures-'));
const t0 = Date.now();
const runDir = writePictureRun(base, '20991231-235959-pictur', { events: EVENTS });
// Compare Runs: the same program again, other keys read at other times and other values written.
const runDirB = writePictureRun(base, '20991231-235959-pictuB', { events: EVENTS, seed: 12345, value: 'y' });
const smallDir = writePictureRun(base, '20991231-235959-smallA', { events: SMALL });
const smallDirB = writePictureRun(base, '20991231-235959-smallB', { events: SMALL, seed: 12345, value: 'y' });
console.log(`bench:pictures: wrote 2 runs of ${EVENTS.toLocaleString('en')} events and 2 of ${SMALL.toLocaleString('en')} (${Date.now() - t0} ms)`);

const run = { dir: runDir, info: await readRunInfo(runDir) };
const COLUMNS = 1200;
/** What the view receives: the answer encoded and decoded as a message would be. */
const message = (x) => {
  const text = JSON.stringify(x);
  JSON.parse(text);
  return `${(text.length / 1e6).toFixed(2)} MB message`;
};
async function best(label, fn, setup) {
  let wall = Infinity;
  let cpu = Infinity;
  let note = '';
  for (let i = 0; i < REPEAT; i++) {
    const state = await setup?.();
    const c = process.cpuUsage();
    const s = performance.now();
    note = (await fn(state)) ?? '';
    const u = process.cpuUsage(c);
    wall = Math.min(wall, performance.now() - s);
    cpu = Math.min(cpu, (u.user + u.system) / 1000);
  }
  return { label, wall, cpu, note };
}
const rows = [];
const row = async (label, fn, goal = false, setup = undefined) => {
  const r = await best(label, fn, setup);
  rows.push({ ...r, goal });
  console.log(line(r, goal));
};
let baseline;
// Ratios to reading the run by CPU time: steadier than wall time on a shared machine.
const line = (r, goal) => `${r.label.padEnd(56)} ${r.wall.toFixed(0).padStart(6)} ms ${r.cpu.toFixed(0).padStart(6)} ms cpu  ${baseline ? (r.cpu / baseline).toFixed(2).padStart(5) + '× read' : '      '}  ${goal ? `2 s goal: wall ${r.wall < 2000 ? 'ok' : 'OVER'}, cpu ${r.cpu < 2000 ? 'ok' : 'OVER'}` : ''}  ${r.note}`;
console.log(`${''.padEnd(56)} ${'wall'.padStart(9)} ${'cpu'.padStart(10)}`);
await row('baseline: read the run (no visitor)', async () => void (await readRun(runDir, {}, readOptionsFor(run))));
// The reader resolves each event (stack facts, test, paths) only for a visitor that takes events.
await row('baseline: read + resolve every event (no-op)', async () => void (await readRun(runDir, { event() {} }, readOptionsFor(run))));
baseline = rows[1].cpu;
await row('one read per view: flame graph (collectFlame, the CLI)', async () => {
  const { flame } = await collectFlame(run);
  return message({ tree: flame.tree(), total: flame.total, keys: [...flame.seen.keys], pids: [...flame.seen.pids], tests: [...flame.seen.tests] });
});
await row('one read per view: timeline, races in the same pass', async () => message(timelineWindow((await collectTimeline(run)).timeline, undefined, undefined, COLUMNS)));
// Now: a fresh cache per repeat, so the first view really reads the run.
let cache;
await row('open the flame graph first (one pass, cut)', async () => {
  cache = new PictureCache();
  return message((await cache.get(run)).flame.result({}));
}, true);
await row('then the timeline (held: cut only)', async () => {
  const w = timelineWindow((await cache.get(run)).timeline, undefined, undefined, COLUMNS);
  return `${w.lanes.length} lanes, ${w.density ? w.density.length + ' density cells' : w.marks.length + ' marks'}, ${message(w)}`;
}, true);
await row('open the timeline first (one pass, cut)', async () => {
  cache = new PictureCache();
  return message(timelineWindow((await cache.get(run)).timeline, undefined, undefined, COLUMNS));
}, true);
await row('then the flame graph (held: cut only)', async () => message((await cache.get(run)).flame.result({})), true);
let raced;
await row(
  "the timeline's race lines (race analysis, own pass)",
  async (pictures) => {
    await pictures.races();
    raced = pictures;
    const w = timelineWindow(pictures.timeline, undefined, undefined, COLUMNS);
    return `${w.races.length} race lines, ${message(w)}`;
  },
  false,
  // Fresh pictures each time: the analysis runs once per run.
  async () => new PictureCache().get(run),
);
await row('flame graph filtered to one key and reads (held)', async () => message((await cache.get(run)).flame.result({ keys: ['KEY_7'], ops: ['read'] })));
await row('timeline zoomed to 2 ms (held)', async () => {
  const w = timelineWindow((await cache.get(run)).timeline, 0, 2000, COLUMNS);
  return `${w.marks ? w.marks.length + ' marks' : w.density.length + ' cells'}, ${message(w)}`;
});
if (!args.includes('--no-aggregate')) await row("for scale: the report's aggregate (report --format json)", async () => void (await aggregateRun(run)));
/** What `envtrace/diff` answers (server/src/runtime.ts): both runs read, compared, per service too. */
async function diffOf(a, b) {
  const load = async (dir) => {
    const builder = new ObservationsBuilder();
    await addRun(builder, dir, {}, true);
    return builder.obs;
  };
  const [obsA, obsB] = [await load(a), await load(b)];
  const diff = diffRuns(obsA, obsB, { root: base, sites: [] });
  const fleet = fleetGroups(obsA.processes) !== null || fleetGroups(obsB.processes) !== null;
  const services = fleet ? diffServices(await loadServices(a), await loadServices(b), { root: base, sites: [] }) : undefined;
  return { diff, text: renderDiffText(diff), ...(services ? { services } : {}) };
}
let compared;
await row('Compare Runs: envtrace/diff of two such runs', async () => {
  compared = await diffOf(runDir, runDirB);
  return `${compared.diff.keys.length} keys differ, ${message(compared)}`;
}, true);
const over = rows.filter((r) => r.goal && r.wall >= 2000);
const overCpu = rows.filter((r) => r.goal && r.cpu >= 2000);
console.log(`bench:pictures: engine answers over the 2 s goal: ${over.length} by wall time, ${overCpu.length} by CPU time (load average ${loadavg()[0].toFixed(1)})`);

// The browser half: each view's page drawing the message the extension posts, in Chromium.
const serverMs = (label) => rows.find((r) => r.label === label);
const missing = browserMissing();
if (missing) console.log(`bench:pictures: browser half skipped: ${missing}; the figures above are the engine's only`);
else await browserHalf();

async function browserHalf() {
  const stored = async (dir) => ({ dir, info: await readRunInfo(dir) });
  const small = await new PictureCache().get(await stored(smallDir));
  const smallRaced = await new PictureCache().get(await stored(smallDir));
  await smallRaced.races();
  const smallCompared = await diffOf(smallDir, smallDirB);
  const held = await cache.get(run);
  const flameText = (p) => JSON.stringify({ type: 'data', result: p.flame.result({}), filter: {} });
  const windowText = (p, first) => JSON.stringify({ type: 'data', window: timelineWindow(p.timeline, first.from, first.to, first.columns) });
  const siteLink = (site) => `command:envtrace.openSite?${encodeURIComponent(JSON.stringify(site.split(':')))}`;
  const views = [
    { name: 'flame graph', page: pages.FLAME_PAGE, server: serverMs('open the flame graph first (one pass, cut)'), count: () => document.querySelectorAll('#chart g.frame').length, unit: 'frames',
      text: (big) => flameText(big ? held : small) },
    { name: 'timeline', page: pages.TIMELINE_PAGE, server: serverMs('open the timeline first (one pass, cut)'), cut: serverMs('then the timeline (held: cut only)'), count: () => document.querySelectorAll('#chart svg path').length, unit: 'shapes', races: 'pending',
      text: (big, first) => windowText(big ? held : small, first),
      then: { name: 'timeline race lines', server: serverMs("the timeline's race lines (race analysis, own pass)"), races: 'placed', text: (big, first) => windowText(big ? raced : smallRaced, first) } },
    { name: 'Compare Runs', page: (big) => pages.comparePage((big ? compared : smallCompared).diff, siteLink, (big ? compared : smallCompared).services), server: serverMs('Compare Runs: envtrace/diff of two such runs'), count: () => document.querySelectorAll('#compare tbody tr').length, unit: 'rows' },
  ];
  const browser = await openPictureBrowser();
  // Warm-up: a browser's first tab and each page's first load pay for starting up.
  for (const v of views) await (await browser.load(typeof v.page === 'function' ? v.page(false) : v.page)).tab.close();
  const summary = [];
  console.log(`\nbrowser (Chromium, best of ${REPEAT}): page load, then the message${''.padEnd(6)} load ms  message   transfer ms  parse ms  draw+paint ms  main-thread ms  drawn`);
  try {
    for (const v of views) {
      for (const big of [false, true]) {
        const label = `${v.name}, ${(big ? EVENTS : SMALL).toLocaleString('en')} events${big ? '' : ' (baseline)'}`;
        let best;
        let bestThen;
        for (let i = 0; i < REPEAT; i++) {
          const page = typeof v.page === 'function' ? v.page(big) : v.page;
          const { tab, cdp, loadMs, htmlBytes, first } = await browser.load(page);
          let r = { loadMs, wall: 0, transfer: 0, parse: 0, draw: 0, paint: 0, cpu: await browser.taskMs(cdp), bytes: htmlBytes, drawn: await tab.evaluate(v.count) };
          let then;
          if (v.text) {
            const text = v.text(big, first);
            r = { loadMs, bytes: text.length, ...(await browser.post(tab, cdp, text, { races: v.races, count: v.count })) };
            if (v.then) {
              const more = v.then.text(big, first);
              then = { loadMs: 0, bytes: more.length, ...(await browser.post(tab, cdp, more, { races: v.then.races, count: v.count })) };
            }
          }
          await tab.close();
          if (!best || r.loadMs + r.wall < best.loadMs + best.wall) [best, bestThen] = [r, then];
        }
        console.log(browserLine(label, best, v.unit));
        if (bestThen) console.log(browserLine(`${v.then.name}, ${(big ? EVENTS : SMALL).toLocaleString('en')} events`, bestThen, v.unit));
        if (big) summary.push({ v, r: best });
        if (big && bestThen) summary.push({ v: v.then, r: bestThen, after: v.server.wall });
      }
    }
  } finally {
    await browser.close();
  }
  console.log('');
  for (const { v, r, after } of summary) {
    // The panel asks the server as it opens: the run is read while the page loads. The
    // timeline's page then asks for a window of its width: a cut of what was read.
    const engine = v.server.wall;
    const cut = v.cut ? v.cut.wall : 0;
    const total = Math.max(r.loadMs, engine) + cut + r.transfer + r.wall;
    // On a loaded machine: the engine's CPU time and the page's main-thread time (Chromium's TaskDuration).
    const cpu = v.server.cpu + (v.cut ? v.cut.cpu : 0) + r.cpu;
    const byCpu = `by CPU ${cpu.toFixed(0)} ms (engine ${(v.server.cpu + (v.cut ? v.cut.cpu : 0)).toFixed(0)} + page main thread ${r.cpu.toFixed(0)})`;
    const goal = (ms) => (ms < 2000 ? 'ok' : 'OVER');
    const parts = `engine ${engine.toFixed(0)} (cpu ${v.server.cpu.toFixed(0)})${v.cut ? ` + the page's window ${cut.toFixed(0)}` : ''} + transfer ${r.transfer.toFixed(0)} + parse and draw ${r.wall.toFixed(0)} ms`;
    // Race analysis starts once the lanes' answer is out: its lines come that much later.
    if (after !== undefined) console.log(`bench:pictures: ${v.name}: ${(after + engine + r.transfer + r.wall).toFixed(0)} ms after opening = the lanes' engine ${after.toFixed(0)} + race ${parts}; no goal: the lanes say "analysing races…" until then`);
    else if (!v.text) console.log(`bench:pictures: ${v.name}: ${(engine + r.loadMs).toFixed(0)} ms = engine ${engine.toFixed(0)} + the page's load and draw ${r.loadMs.toFixed(0)} ms (${(r.bytes / 1e6).toFixed(2)} MB of HTML); by CPU ${(v.server.cpu + r.cpu).toFixed(0)} ms (engine ${v.server.cpu.toFixed(0)} + page main thread ${r.cpu.toFixed(0)}); 2 s goal: wall ${goal(engine + r.loadMs)}, cpu ${goal(v.server.cpu + r.cpu)}`);
    else console.log(`bench:pictures: ${v.name}: ${total.toFixed(0)} ms = the larger of page load ${r.loadMs.toFixed(0)} and ${parts}; ${byCpu}; 2 s goal: wall ${goal(total)}, cpu ${goal(cpu)}`);
  }
  const load = loadavg()[0];
  console.log(`bench:pictures: load average ${load.toFixed(1)} on ${availableParallelism()} cores${load > availableParallelism() ? ': the machine is busy, wall times are upper bounds; judge by CPU' : ''}`);
}

function browserLine(label, r, unit) {
  const mb = `${(r.bytes / 1e6).toFixed(2)} MB`;
  return `  ${label.padEnd(62)} ${r.loadMs.toFixed(0).padStart(7)} ${mb.padStart(8)} ${r.transfer.toFixed(0).padStart(12)} ${r.parse.toFixed(0).padStart(9)} ${(r.draw + r.paint).toFixed(0).padStart(14)} ${r.cpu.toFixed(0).padStart(15)}  ${r.drawn} ${unit}`;
}
if (!keep) rmSync(base, { recursive: true, force: true });
