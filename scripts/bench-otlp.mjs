// `npm run bench:otlp`: OTLP out against a real OpenTelemetry Collector (test/collector, built
// and cached by scripts/otelcol.mjs; its build time is printed when it had to be built).
// 1. Export throughput: writes a run of N events (default 200,000; 4 processes, 200 sites reading
//    5 keys each, 3 values per key), then times `envtrace export --otlp` aggregated, --each-event (protobuf) and
//    --each-event --protocol http/json, against the baseline of `envtrace report --format json`
//    on the same run (reading and resolving every event). Records/s and events/s.
// 2. Ship latency: `envtrace ship` on a run directory that a writer appends events to (one
//    write(2) per record, every 10 ms); latency = when the record is in the collector's file
//    (polled every 5 ms; the file exporter flushes every 50 ms) minus when it was written.
// Not a test; prints figures. Usage: node scripts/bench-otlp.mjs [--events N] [--ship N] [--interval MS]
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xorshift32 } from './bench/prng.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const EVENTS = Number(flag('--events', 200_000));
const SHIP = Number(flag('--ship', 300));
const INTERVAL = flag('--interval', '200');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error('run npm run build first');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const base = mkdtempSync(join(tmpdir(), 'envtrace-bench-otlp-'));

// The collector.
const t0 = performance.now();
const built = spawnSync(process.execPath, [join(root, 'scripts', 'otelcol.mjs')], { encoding: 'utf8' });
if (built.status !== 0) throw new Error(built.stderr);
const bin = built.stdout.trim();
console.log(`collector: ${bin} (${built.stderr.trim() || `cached; ${((performance.now() - t0) / 1000).toFixed(1)} s to check`})`);
const port = await new Promise((res) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => res(p));
  });
});
const out = join(base, 'collector-out.jsonl');
writeFileSync(
  join(base, 'collector.yaml'),
  `receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 127.0.0.1:${port}\nexporters:\n  file:\n    path: ${out}\n    flush_interval: 50ms\nservice:\n  telemetry:\n    metrics:\n      level: none\n  pipelines:\n    logs:\n      receivers: [otlp]\n      exporters: [file]\n`,
);
const collector = spawn(bin, ['--config', `file:${join(base, 'collector.yaml')}`], { stdio: 'ignore' });
const children = [collector];
// Whatever ends this script (an uncaught error included), the collector and ship end with it.
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const accepts = () => new Promise((res) => createConnection({ port, host: '127.0.0.1' }).once('connect', function () { this.destroy(); res(true); }).once('error', () => res(false)));
while (!(await accepts())) await sleep(50);
const url = `http://127.0.0.1:${port}`;

try {
  // 1. Export throughput.
  const id = '20991231-235959-otlpbn';
  const runDir = join(base, '.envtrace', 'runs', id);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'run.json'), JSON.stringify({ version: 1, id, label: 'bench', command: ['bench'], cwd: base, start: '2099-12-31T23:59:59Z', end: '2099-12-31T23:59:59Z', exitCode: 0 }));
  const rnd = xorshift32();
  const PROCS = 4;
  const wall0 = 4102444799000000000n;
  for (let p = 0; p < PROCS; p++) {
    const pid = 1000 + p;
    const mono0 = 1e12 + p * 1e9;
    const fd = openSync(join(runDir, `${pid}-${wall0 + BigInt(p) * 1000000000n}.jsonl`), 'w');
    let buf = JSON.stringify({ t: 'P', v: 1, pid, ppid: 1, parent: 0, run: id, argv: ['/bench/svc' + p], cwd: base, go: 'go1.26.8', os: 'linux', arch: 'amd64', wall: Number(wall0) + p * 1e9, mono: mono0, depth: 16, where: { host: 'bench-host', pod: `svc-${p}`, namespace: 'bench', service: 'example.com/bench' } }) + '\n';
    for (let s = 1; s <= 200; s++) buf += JSON.stringify({ t: 'S', id: s, f: [['os.Getenv', '/usr/local/go/src/os/env.go', 101], [`example.com/bench.read${s}`, `/bench/f${s % 20}.go`, 10 + s], ['main.main', '/bench/main.go', 12]] }) + '\n';
    for (let i = 1; i <= EVENTS / PROCS; i++) {
      const t = mono0 + i * 2000;
      // As in a service: each site reads a few keys, each key has a few values.
      const s = 1 + rnd(200);
      buf += JSON.stringify({ t: 'E', seq: i, g: 1 + rnd(32), pg: 1, op: 'getenv', k: `KEY_${(s * 5 + rnd(5)) % 1000}`, ok: true, v: `v${rnd(3)}`, t0: t, t1: t + 500, s }) + '\n';
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
    closeSync(fd);
  }
  const timed = (argv) => {
    const s = performance.now();
    const r = spawnSync(process.execPath, [cli, ...argv], { cwd: base, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
    return { ms: performance.now() - s, stderr: r.stderr };
  };
  console.log(`\nexport throughput, ${EVENTS.toLocaleString('en')} events in ${PROCS} processes (wall time of the whole command):`);
  const baseline = timed(['report', '--format', 'json', '--output', join(base, 'report.json'), id]);
  console.log(`  baseline: envtrace report --format json      ${(baseline.ms / 1000).toFixed(2)} s  ${Math.round(EVENTS / (baseline.ms / 1000)).toLocaleString('en')} events/s`);
  for (const [label, extra] of [
    ['export (aggregated, protobuf)', []],
    ['export --each-event (protobuf)', ['--each-event']],
    ['export --each-event (http/json)', ['--each-event', '--protocol', 'http/json']],
  ]) {
    const r = timed(['export', '--otlp', url, ...extra, id]);
    const records = Number(/: (\d+) log records/.exec(r.stderr)?.[1]);
    console.log(`  ${label.padEnd(44)} ${(r.ms / 1000).toFixed(2)} s  ${Math.round(records / (r.ms / 1000)).toLocaleString('en')} records/s (${records.toLocaleString('en')} records), ${Math.round(EVENTS / (r.ms / 1000)).toLocaleString('en')} events/s`);
  }

  // 2. Ship latency.
  const shipDir = join(base, 'ship');
  mkdirSync(shipDir);
  const ship = spawn(process.execPath, [cli, 'ship', '--otlp', url, '--dir', shipDir, '--interval', INTERVAL], { stdio: 'ignore' });
  children.push(ship);
  const file = join(shipDir, `4242-${wall0}.jsonl`);
  const mono0 = 2e12;
  const wallMs = Date.now();
  writeFileSync(file, JSON.stringify({ t: 'P', v: 1, pid: 4242, ppid: 1, parent: 0, run: 'ship', argv: ['/bench/ship'], cwd: base, go: 'go1.26.8', os: 'linux', arch: 'amd64', wall: wallMs * 1e6, mono: mono0, depth: 16 }) + '\n' + JSON.stringify({ t: 'S', id: 1, f: [['os.Getenv', '/usr/local/go/src/os/env.go', 101], ['main.main', '/bench/main.go', 12]] }) + '\n');
  const written = new Map();
  const arrived = new Map();
  // Only the bytes the collector added since the last look (the file holds the export runs too).
  let seen = statSync(out).size;
  let tail = '';
  const fd = openSync(out, 'r');
  const poll = setInterval(() => {
    const size = fstatSync(fd).size;
    if (size <= seen) return;
    const b = Buffer.alloc(size - seen);
    readSync(fd, b, 0, b.length, seen);
    seen = size;
    const now = performance.now();
    const lines = (tail + b.toString('utf8')).split('\n');
    tail = lines.pop();
    for (const m of lines.join('\n').matchAll(/"envtrace\.record\.id","value":\{"stringValue":"ship\/4242-\d+\.jsonl\/(\d+)"/g)) if (!arrived.has(Number(m[1]))) arrived.set(Number(m[1]), now);
  }, 5);
  for (let i = 1; i <= SHIP; i++) {
    appendFileSync(file, JSON.stringify({ t: 'E', seq: i, g: 1, pg: 0, op: 'getenv', k: 'SHIP_KEY', ok: true, v: 'x', t0: mono0 + i * 1e6, t1: mono0 + i * 1e6 + 500, s: 1 }) + '\n');
    written.set(i, performance.now());
    await sleep(10);
  }
  const deadline = performance.now() + 60_000;
  while (arrived.size < SHIP && performance.now() < deadline) await sleep(20);
  clearInterval(poll);
  closeSync(fd);
  ship.kill('SIGTERM');
  await new Promise((r) => ship.once('exit', r));
  const lat = [...written].filter(([seq]) => arrived.has(seq)).map(([seq, w]) => arrived.get(seq) - w).sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  console.log(`\nship latency, ${SHIP} events written 10 ms apart, --interval ${INTERVAL} ms (write → in the collector's file):`);
  console.log(`  arrived ${lat.length}/${SHIP}; median ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, max ${lat[lat.length - 1].toFixed(0)} ms`);
} finally {
  collector.kill('SIGTERM');
  rmSync(base, { recursive: true, force: true });
}
