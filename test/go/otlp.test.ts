// envtrace export and envtrace ship into a real OpenTelemetry Collector (test/collector: otlp
// receiver + file exporter), with runs recorded by the real toolchain. What the collector wrote
// is read back from its file exporter's OTLP JSON.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../server/src/runs/report';
import { cli, envtrace, root, type Result } from './cliSupport';
import { Collector, logsIn, type CollectedLog } from './collector';

const SECRET = 'tok-Zq81-very-secret-otlp-value';

/** Resolves once `cond` holds (checked every 50 ms); the suite's timeout bounds it. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 50));
}

function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

async function report(store: string, id: string, cwd: string): Promise<Report> {
  const r = await envtrace(['report', '--dir', store, '--format', 'json', id], { cwd });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

function runIds(store: string): string[] {
  const dir = join(store, '.envtrace', 'runs');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** Records the fixture app (one phase, a secret in API_TOKEN), copied to `<dir>/<name>`, into the store `<dir>/<storeName>`. */
async function recordApp(dir: string, name: string, storeName: string): Promise<{ app: string; store: string; id: string; rep: Report }> {
  const app = join(dir, name);
  const store = join(dir, storeName);
  cpSync(join(root, 'test', 'fixtures', 'otlp', 'app'), app, { recursive: true });
  mkdirSync(store);
  const rec = await envtrace(['--dir', store, '--no-go-command', '--quiet', '--', 'go', 'run', '.'], { cwd: app, env: { PHASES: '1', PER: '40', API_TOKEN: SECRET } });
  assert.equal(rec.code, 0, rec.stderr);
  const [id] = runIds(store);
  return { app, store, id, rep: await report(store, id, app) };
}

/** ship processes started, killed after the suite whatever happened. */
const ships: ChildProcess[] = [];
/** Traced runs waiting for their phase files, ended after the suite if a test failed. */
const runPids: number[] = [];

/** Starts `envtrace ship`; `done` resolves with its exit. */
function startShip(args: string[], cwd: string): { child: ChildProcess; done: Promise<Result> } {
  const child = spawn(process.execPath, [cli, 'ship', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  ships.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Result>((res) => child.on('close', (code) => res({ code, stdout, stderr })));
  return { child, done };
}

describe('OTLP logs into a real OpenTelemetry Collector', { timeout: 600_000 }, () => {
  let work: string;
  let collector: Collector;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'envtrace-otlp-'));
    collector = await Collector.start(work);
  });
  after(async () => {
    for (const c of ships) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const pid of runPids) {
      try {
        process.kill(pid, 'SIGTERM'); // envtrace ends the traced processes with it (.alive)
      } catch {
        // already gone
      }
    }
    await collector?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('export: a recorded run, aggregated (protobuf) and each event (JSON), attributes, no secret in clear', async () => {
    const { app, store, id, rep } = await recordApp(work, 'export-app', 'export-store');
    const events = rep.events;
    assert.ok(events.length >= 42, `${events.length} events`);

    const agg = await envtrace(['export', '--dir', store, '--otlp', collector.url], { cwd: app });
    assert.equal(agg.code, 0, agg.stderr);
    assert.match(agg.stderr, new RegExp(`exported run ${id} to ${collector.url}/v1/logs \\(http/protobuf\\): \\d+ log records for ${events.length} events of 1 processes`));
    const each = await envtrace(['export', '--dir', store, '--otlp', collector.url, '--protocol', 'http/json', '--each-event', id], { cwd: app });
    assert.equal(each.code, 0, each.stderr);

    const ofRun = () => logsIn(collector.out).filter((l) => l.resource['envtrace.run.id'] === id);
    const grouped = () => ofRun().filter((l) => l.attributes['envtrace.seq'] === undefined);
    const single = () => ofRun().filter((l) => l.attributes['envtrace.seq'] !== undefined);
    const total = (ls: CollectedLog[]) => ls.reduce((n, l) => n + (l.attributes['envtrace.count'] as number), 0);
    await until(() => total(grouped()) === events.length && single().length === events.length);

    // Aggregated: one record per distinct access, counts adding up to the events.
    const g = grouped();
    assert.equal(new Set(g.map((l) => l.attributes['envtrace.record.id'])).size, g.length);
    const ticks = g.filter((l) => l.attributes['envtrace.key'] === 'TICK_3');
    assert.equal(ticks.length, 1);
    assert.equal(ticks[0].attributes['envtrace.count'], 4);
    assert.equal(ticks[0].attributes['envtrace.found'], false);
    assert.equal(ticks[0].body, 'getenv TICK_3 (unset)');
    assert.equal(ticks[0].attributes['code.file.path'], join(app, 'main.go'));
    assert.equal(ticks[0].attributes['code.line.number'], lineOf(join(app, 'main.go'), 'TICK_%d'));
    assert.equal(ticks[0].attributes['code.function.name'], 'main.main');

    // Each event: one record per (process, seq), ids unique.
    const s = single();
    const want = new Set(events.map((e) => `${e.pid}/${e.seq}`));
    assert.deepEqual(new Set(s.map((l) => `${l.resource['process.pid']}/${l.attributes['envtrace.seq']}`)), want);
    assert.equal(new Set(s.map((l) => l.attributes['envtrace.record.id'])).size, s.length);

    // The secret: redacted as the report shows it (hash and length, never the value).
    const tokenEvent = events.find((e) => e.key === 'API_TOKEN')!;
    assert.equal(tokenEvent.redacted, true);
    for (const l of [...g, ...s].filter((x) => x.attributes['envtrace.key'] === 'API_TOKEN')) {
      assert.equal(l.attributes['envtrace.value.redacted'], true);
      assert.equal(l.attributes['envtrace.value'], undefined);
      assert.equal(l.attributes['envtrace.value.hash'], tokenEvent.hash);
      assert.equal(l.attributes['envtrace.value.length'], SECRET.length);
      assert.equal(l.body, 'getenv API_TOKEN = <redacted>');
      assert.equal(l.attributes['code.line.number'], lineOf(join(app, 'main.go'), '"API_TOKEN"'));
    }
    const set = s.find((l) => l.attributes['envtrace.key'] === 'APP_MODE')!;
    assert.equal(set.attributes['envtrace.op'], 'setenv');
    assert.equal(set.attributes['envtrace.value'], 'otlp');
    assert.equal(set.attributes['envtrace.api'], 'os.Setenv');

    // The resource: the process, with semantic-convention names.
    const proc = rep.processes[0];
    const r = s[0].resource;
    assert.equal(r['process.pid'], proc.pid);
    assert.equal(r['process.parent_pid'], proc.ppid);
    assert.deepEqual(r['process.command_args'], proc.argv);
    assert.equal(r['process.runtime.version'], rep.goVersion);
    assert.equal(r['service.name'], proc.where?.service ?? `unknown_service:${proc.argv[0].split('/').pop()}`);
    if (proc.where?.host) assert.equal(r['host.name'], proc.where.host);
    assert.ok(!readFileSync(collector.out, 'utf8').includes(SECRET), 'the secret reached the collector in clear');
  });

  test('round trip: a run exported twice through the collector, imported from its file: same counts, duplicates left out, no secret', async () => {
    const dir = join(work, 'roundtrip');
    mkdirSync(dir);
    const own = await Collector.start(dir);
    try {
      const { app, store, id, rep: before } = await recordApp(dir, 'app', 'store');
      // Exported twice: the second export resends every record with the same envtrace.record.id.
      for (let i = 0; i < 2; i++) {
        const r = await envtrace(['export', '--dir', store, '--otlp', own.url, id], { cwd: app });
        assert.equal(r.code, 0, r.stderr);
      }
      const sent = () => logsIn(own.out).reduce((n, l) => n + (l.attributes['envtrace.count'] as number), 0);
      await until(() => sent() === 2 * before.events.length);

      const fleetStore = join(dir, 'fleet');
      mkdirSync(fleetStore);
      const imp = await envtrace(['import', '--dir', fleetStore, '--json', own.out], { cwd: app });
      assert.equal(imp.code, 0, imp.stderr);
      const summary = JSON.parse(imp.stdout) as { id: string; processes: number; duplicates: number };
      assert.equal(summary.processes, 1);
      assert.ok(summary.duplicates > 0, 'the second export was not recognised as duplicates');
      const after = await report(fleetStore, summary.id, app);
      const counts = (r: Report) => r.vars.map((v) => `${v.key} reads=${v.reads} writes=${v.writes} unset=${v.unsetReads}`);
      assert.deepEqual(counts(after), counts(before));
      assert.deepEqual(after.processes[0].where, before.processes[0].where);
      const token = after.vars.find((v) => v.key === 'API_TOKEN')!;
      assert.deepEqual(token.values.map((v) => v.value === undefined), [true]);
      const everything = readdirSync(join(fleetStore, '.envtrace', 'runs', summary.id)).map((f) => readFileSync(join(fleetStore, '.envtrace', 'runs', summary.id, f), 'utf8')).join('');
      assert.ok(!everything.includes(SECRET), 'the imported run holds the secret in clear');
    } finally {
      await own.stop();
    }
  });

  test('export to a collector that is not there: exit 1 and one line naming the address', async () => {
    const store = join(work, 'export-store');
    const r = await envtrace(['export', '--dir', store, '--otlp', 'http://127.0.0.1:9', '--timeout', '1'], { cwd: work });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^envtrace: export failed: http:\/\/127\.0\.0\.1:9\/v1\/logs: connection refused/);
    const bad = await envtrace(['export', '--dir', store, '--otlp', 'collector:4318'], { cwd: work });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /OTLP\/HTTP needs an http:\/\/ or https:\/\/ URL/);
  });

  test('ship: follows a run as it is written, across a collector kill, a ship restart and an app restart; nothing lost', async () => {
    const app = join(work, 'ship-app');
    const store = join(work, 'ship-store');
    cpSync(join(root, 'test', 'fixtures', 'otlp', 'app'), app, { recursive: true });
    mkdirSync(store);
    // Two processes one after the other in one run directory: the app, then the app restarted.
    const run = envtrace(['--dir', store, '--no-go-command', '--quiet', '--', 'sh', '-c', 'go run . && PHASES=1 PER=100 go run .'], {
      cwd: app,
      env: { PHASES: '3', PER: '300', API_TOKEN: SECRET },
      onStart: (pid) => runPids.push(pid),
    });
    await until(() => runIds(store).length === 1);
    const [id] = runIds(store);
    const dir = join(store, '.envtrace', 'runs', id);
    const shipArgs = ['--otlp', collector.url, '--dir', dir, '--interval', '50', '--timeout', '2'];
    const ofRun = () => logsIn(collector.out).filter((l) => l.resource['envtrace.run.id'] === id);
    const ticks = () => ofRun().filter((l) => String(l.attributes['envtrace.key']).startsWith('TICK_')).length;

    let ship = startShip(shipArgs, work);
    await until(() => existsSync(join(app, 'done1')) && ticks() >= 300);
    // The collector dies (after its file holds what it acknowledged), the app writes on.
    await collector.stop('SIGKILL');
    writeFileSync(join(app, 'phase2'), '');
    await until(() => existsSync(join(app, 'done2')));
    // ship stops while the collector is down: what it could not send stays unacknowledged.
    ship.child.kill('SIGTERM');
    const first = await ship.done;
    assert.ok(first.code === 0 || first.code === 1, first.stderr);
    if (first.code === 1) assert.match(first.stderr, /sent again on the next start/);
    assert.ok(existsSync(join(dir, '.envtrace-ship.json')));

    await collector.start();
    ship = startShip(shipArgs, work);
    writeFileSync(join(app, 'phase3'), '');
    const rec = await run;
    assert.equal(rec.code, 0, rec.stderr);
    const rep = await report(store, id, app);
    assert.equal(rep.processes.length, 2);
    const want = new Set(rep.events.map((e) => `${e.pid}/${e.seq}`));
    const got = () => new Set(ofRun().map((l) => `${l.resource['process.pid']}/${l.attributes['envtrace.seq']}`));
    await until(() => [...want].every((k) => got().has(k)));
    ship.child.kill('SIGTERM');
    const second = await ship.done;
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /stopped: \d+ log records sent/);

    // Every event arrived; a record seen twice is the same event (same envtrace.record.id).
    const logs = ofRun();
    assert.deepEqual(got(), want);
    const byId = new Map<string, string>();
    for (const l of logs) {
      const key = `${l.resource['process.pid']}/${l.attributes['envtrace.seq']}`;
      const rid = l.attributes['envtrace.record.id'] as string;
      assert.equal(rid, `${id}/${l.resource['envtrace.process.file']}/${l.attributes['envtrace.seq']}`);
      assert.equal(byId.get(rid) ?? key, key);
      byId.set(rid, key);
    }
    assert.equal(byId.size, want.size);
    const token = logs.find((l) => l.attributes['envtrace.key'] === 'API_TOKEN')!;
    assert.equal(token.attributes['envtrace.value.redacted'], true);
    assert.equal(token.attributes['envtrace.goroutine'], 1);
    assert.ok(!readFileSync(collector.out, 'utf8').includes(SECRET), 'the secret reached the collector in clear');
    const state = JSON.parse(readFileSync(join(dir, '.envtrace-ship.json'), 'utf8')) as { files: Record<string, number> };
    assert.equal(Object.keys(state.files).length, 2);
  });
});
