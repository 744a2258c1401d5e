// A race through the whole fleet pipeline (issue 13): a traced run whose goroutines race on a
// key, exported to a real OpenTelemetry Collector (aggregated, and each event), read back from
// its file exporter with `envtrace import`: the race is in the report and in the language
// server's diagnostics at the reading site, at the level the original run had.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadObservations } from '../../server/src/analysis/loadObservations';
import { mergeContext, observationsForFile } from '../../server/src/analysis/merge';
import { findings } from '../../server/src/analysis/runtimeText';
import type { Report } from '../../server/src/runs/report';
import { scanTree } from '../../server/src/scan/index';
import { envtrace } from './cliSupport';
import { Collector, logsIn } from './collector';
import { fixture } from './recorderSupport';

async function report(store: string, id: string, cwd: string): Promise<Report> {
  const r = await envtrace(['report', '--dir', store, '--format', 'json', id], { cwd });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 50));
}

describe('a race exported to a real Collector and imported back', { timeout: 600_000 }, () => {
  let work: string;
  let collector: Collector;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'envtrace-otlp-races-'));
    collector = await Collector.start(work);
  });
  after(async () => {
    await collector?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('LOOP_KEY: aggregated and each-event records carry the level; the import reports it; the editor warns at the read', async () => {
    const app = join(work, 'races');
    cpSync(fixture('races'), app, { recursive: true });
    const store = join(work, 'store');
    mkdirSync(store);
    const rec = await envtrace(['--dir', store, '--no-go-command', '--quiet', '--', 'go', 'run', '.', 'loop'], { cwd: app });
    assert.equal(rec.code, 0, rec.stderr);
    const [id] = readdirSync(join(store, '.envtrace', 'runs'));
    const before = await report(store, id, app);
    const level = before.vars.find((v) => v.key === 'LOOP_KEY')!.race?.level;
    assert.ok(level === 'likely' || level === 'definite', `the traced run races: ${level}`);

    for (const extra of [[], ['--each-event', '--protocol', 'http/json']]) {
      const r = await envtrace(['export', '--dir', store, '--otlp', collector.url, ...extra, id], { cwd: app });
      assert.equal(r.code, 0, r.stderr);
    }
    const events = before.events.length;
    const ofKey = () => logsIn(collector.out).filter((l) => l.attributes['envtrace.key'] === 'LOOP_KEY');
    const grouped = () => ofKey().filter((l) => l.attributes['envtrace.seq'] === undefined);
    const single = () => ofKey().filter((l) => l.attributes['envtrace.seq'] !== undefined);
    const loopEvents = before.events.filter((e) => e.key === 'LOOP_KEY').length;
    await until(() => single().length === loopEvents && grouped().reduce((n, l) => n + (l.attributes['envtrace.count'] as number), 0) === loopEvents);
    assert.ok(events > loopEvents);
    for (const l of [...grouped(), ...single()]) {
      assert.equal(l.attributes['envtrace.race.level'], level, `${l.body}: the level on every record of the key`);
      assert.equal(l.severityText, 'WARN');
    }

    // Each export imported on its own: the aggregated one has no goroutines left to analyse.
    for (const name of ['aggregated', 'each event'] as const) {
      const fleet = join(work, `fleet-${name.replace(' ', '-')}`);
      mkdirSync(fleet);
      const only = join(fleet, 'collector.json');
      writeOtlp(only, collector.out, name === 'each event');
      const imp = await envtrace(['import', '--dir', fleet, '--json', only], { cwd: app });
      assert.equal(imp.code, 0, imp.stderr);
      const { id: fleetId } = JSON.parse(imp.stdout) as { id: string };
      const after = await report(fleet, fleetId, app);
      const race = after.vars.find((v) => v.key === 'LOOP_KEY')!.race;
      assert.equal(race?.level, level, `${name}: the race came back`);
      assert.equal(after.counts.races, 1, name);
      const text = await envtrace(['report', '--dir', fleet, fleetId], { cwd: app });
      assert.match(text.stdout, new RegExp(`^⚠ \\[RACE\\] ${level} race on LOOP_KEY: written by goroutine \\d+ at \\S*main\\.go:29 \\(os\\.Setenv\\), read by goroutine \\d+ at \\S*main\\.go:24 \\(os\\.Getenv\\)$`, 'm'), name);

      // The language server's view: a race warning at the read in the loop.
      const obs = await loadObservations([join(fleet, '.envtrace', 'runs', fleetId)]);
      const sites = (await scanTree(app)).sites.filter((s) => s.file === 'main.go' && s.key === 'LOOP_KEY');
      const list = observationsForFile(mergeContext(obs, app, { files: ['main.go'] }), sites);
      const read = list.find((o) => o.site.kind === 'read')!;
      const warn = findings(read, app).filter((f) => f.code === 'envtrace.race');
      assert.equal(warn.length, 1, name);
      assert.match(warn[0].message, new RegExp(`^${level} race on LOOP_KEY: `));
      assert.deepEqual(warn[0].related.map((r) => [r.file, r.line]), [[join(app, 'main.go'), 29]], `${name}: the write is the related place`);
    }
  });
});

/** Copies the collector's output lines (one export request each) of the aggregated or the each-event export into `file`. */
function writeOtlp(file: string, from: string, eachEvent: boolean): void {
  const lines = readFileSync(from, 'utf8').split('\n').filter((l) => l.trim() && l.includes('"envtrace.seq"') === eachEvent);
  writeFileSync(file, lines.join('\n') + '\n');
}
