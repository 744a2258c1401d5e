// `npm run bench:trace`: cost of one os.Getenv untraced, with the overlay compiled in but
// tracing off, and traced (one write(2) per event into a temp dir), measured in one run;
// the cost of a goroutine's exit record (GX) and of the exit hook for goroutines without
// events; plus the extra seconds of the first traced build (fresh GOCACHE) of hello and of two
// real modules from the module cache (gin, caarlos0/env: `go build ./...` and `go test ./...`,
// untraced then traced, and traced once more on a copy of the warm cache after `envtrace
// prebuild`); a binary from `envtrace build`, inert and recording, and its build time
// (scripts/bench/build.mjs). Prints figures, each row's ratio, and a summary line per goal of issue 17.
// BENCH_MODULES=0 skips the real modules. Besides the caller's ns per read, the traced rows give
// the CPU time (user+system, all threads of the process) per read: the kernel's work for the
// mapped file is partly done on another thread (the next chunk is prefaulted), so the two differ;
// and the CPU time of the caller's thread alone, the figure a busy machine distorts least.
// "secrets known": a secret in the environment whose length equals the read value's, so
// every traced read pays the copy check (keyed hash + lookup), the worst case.
// BENCH_GO_SRC=<dir> measures the recorder fragments of another checkout (e.g. main's server/go).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function run(cmd, args, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  const secs = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return { ...r, secs };
}

run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'server'], { cwd: root });
const { prepareOverlay, traceEnv } = require(join(root, 'out', 'server', 'src', 'tracer', 'overlay.js'));

const work = mkdtempSync(join(tmpdir(), 'envtrace-bench-'));
const mod = join(work, 'mod');
mkdirSync(mod);
writeFileSync(join(mod, 'go.mod'), 'module example.com/bench\n\ngo 1.21\n');
writeFileSync(join(mod, 'main.go'), 'package main\n\nimport "os"\n\nfunc main() { println(os.Getenv("BENCH_VAR")) }\n');
writeFileSync(
  join(mod, 'bench_test.go'),
  `package main

import (
	"os"
	"runtime"
	"syscall"
	"testing"
)

var sink string

func cpuNanos() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// CPU time of the calling thread (RUSAGE_THREAD).
func threadNanos() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// Besides ns/op (the caller's wall time), cpu-ns/op: user+system CPU time of the whole
// process (every thread, the kernel's work for the mapped file included) per read, and
// thread-ns/op: that of the caller's thread alone (the goroutine is locked to it), which a
// busy machine inflates far less than the wall time (no waiting for a CPU).
func BenchmarkGetenv(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	c0, t0 := cpuNanos(), threadNanos()
	for i := 0; i < b.N; i++ {
		sink = os.Getenv("BENCH_VAR")
	}
	b.ReportMetric(float64(threadNanos()-t0)/float64(b.N), "thread-ns/op")
	b.ReportMetric(float64(cpuNanos()-c0)/float64(b.N), "cpu-ns/op")
}

// One goroutine started and ended per op (run with -test.cpu=1, so the goroutine runs to its
// exit before the loop goes on): what the exit hook adds to goroutines that touch no env.
func BenchmarkGoroutine(b *testing.B) {
	done := make(chan struct{})
	for i := 0; i < b.N; i++ {
		go func() { done <- struct{}{} }()
		<-done
	}
}

// The same goroutine reading one key: traced, it writes an event and, at its exit, a GX record.
func BenchmarkGoroutineGetenv(b *testing.B) {
	done := make(chan string)
	for i := 0; i < b.N; i++ {
		go func() { done <- os.Getenv("BENCH_VAR") }()
		sink = <-done
	}
}
`,
);

const baseEnv = { ...process.env, GOFLAGS: '', BENCH_VAR: 'value' };
for (const k of Object.keys(baseEnv)) if (k.startsWith('ENVTRACE_')) delete baseEnv[k];
const prepared = await prepareOverlay({ cwd: mod, cacheDir: join(work, 'overlay'), env: baseEnv, goSourceDir: process.env.BENCH_GO_SRC || undefined });
const env = prepared.toolchain
  ? { ...baseEnv, GOROOT: prepared.toolchain.goroot, GOTOOLCHAIN: 'local', PATH: `${prepared.toolchain.bin}:${baseEnv.PATH}` }
  : baseEnv;
const overlayFlag = `-overlay=${prepared.overlayPath}`;

// 1. ns per os.Getenv: two test binaries, four settings, interleaved rounds, medians.
const plainBin = join(work, 'plain.test');
const overlayBin = join(work, 'overlay.test');
run('go', ['test', '-c', '-o', plainBin, '.'], { cwd: mod, env });
run('go', ['test', '-c', overlayFlag, '-o', overlayBin, '.'], { cwd: mod, env });
const traceDir = join(work, 'run');
mkdirSync(traceDir);
const settings = {
  untraced: { bin: plainBin, env: {}, n: '20000000x' },
  'overlay, tracing off': { bin: overlayBin, env: {}, n: '20000000x' },
  traced: { bin: overlayBin, env: { ENVTRACE_DIR: traceDir, ENVTRACE_RUN: 'bench' }, n: '300000x' },
  'traced, secrets known': {
    bin: overlayBin,
    env: { ENVTRACE_DIR: traceDir, ENVTRACE_RUN: 'bench', ENVTRACE_KEY: '00112233445566778899aabbccddeeff', DB_PASSWORD: 'pw-value-1', BENCH_VAR: 'value-1234' },
    n: '300000x',
  },
};
const samples = Object.fromEntries(Object.keys(settings).map((k) => [k, []]));
const cpuSamples = Object.fromEntries(Object.keys(settings).map((k) => [k, []]));
const threadSamples = Object.fromEntries(Object.keys(settings).map((k) => [k, []]));
for (let i = 0; i < ROUNDS; i++) {
  for (const [name, s] of Object.entries(settings)) {
    const r = run(s.bin, ['-test.run=^$', '-test.bench=Getenv', `-test.benchtime=${s.n}`], { cwd: mod, env: { ...env, ...s.env } });
    const m = /BenchmarkGetenv\S*\s+\d+\s+([\d.]+) ns\/op\s+([\d.]+) cpu-ns\/op\s+([\d.]+) thread-ns\/op/.exec(r.stdout);
    if (!m) throw new Error(`no figure in:\n${r.stdout}`);
    samples[name].push(Number(m[1]));
    cpuSamples[name].push(Number(m[2]));
    threadSamples[name].push(Number(m[3]));
  }
  for (const f of readdirSync(traceDir)) rmSync(join(traceDir, f));
}
const f1 = (x) => x.toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const cpuNs = Object.fromEntries(Object.entries(cpuSamples).map(([k, v]) => [k, median(v)]));
const threadNs = Object.fromEntries(Object.entries(threadSamples).map(([k, v]) => [k, median(v)]));
const spread = (k) => `${f1(Math.min(...samples[k]))}–${f1(Math.max(...samples[k]))}`;

// Goroutine exits: untraced, traced without env access (the hook's lookup), traced with one read.
const tracedEnv = { ENVTRACE_DIR: traceDir, ENVTRACE_RUN: 'bench' };
const gSettings = {
  'goroutine untraced': { bin: plainBin, env: {}, bench: 'Goroutine$', n: '2000000x' },
  'goroutine traced': { bin: overlayBin, env: tracedEnv, bench: 'Goroutine$', n: '2000000x' },
  'goroutine+read untraced': { bin: plainBin, env: {}, bench: 'GoroutineGetenv', n: '2000000x' },
  'goroutine+read traced': { bin: overlayBin, env: tracedEnv, bench: 'GoroutineGetenv', n: '300000x' },
};
const gSamples = Object.fromEntries(Object.keys(gSettings).map((k) => [k, []]));
for (let i = 0; i < ROUNDS; i++) {
  for (const [name, s] of Object.entries(gSettings)) {
    const r = run(s.bin, ['-test.run=^$', `-test.bench=${s.bench}`, '-test.cpu=1', `-test.benchtime=${s.n}`], { cwd: mod, env: { ...env, ...s.env } });
    const m = /BenchmarkGoroutine\S*\s+\d+\s+([\d.]+) ns\/op/.exec(r.stdout);
    if (!m) throw new Error(`no figure in:\n${r.stdout}`);
    gSamples[name].push(Number(m[1]));
  }
  for (const f of readdirSync(traceDir)) rmSync(join(traceDir, f));
}
const gns = Object.fromEntries(Object.entries(gSamples).map(([k, v]) => [k, median(v)]));
// The exit record: a traced goroutine with one read, minus its untraced cost and minus a traced read's extra cost.
const exitRecord = gns['goroutine+read traced'] - gns['goroutine+read untraced'] - (ns.traced - ns.untraced);

// Bytes per traced event: the record bytes of one traced run of BenchmarkGetenv over its events
// (a mapped process file, on Linux, ends in the zero bytes of its last chunk: no record).
run(overlayBin, ['-test.run=^$', '-test.bench=^BenchmarkGetenv$', '-test.benchtime=100000x'], {
  cwd: mod,
  env: { ...env, ENVTRACE_DIR: traceDir, ENVTRACE_RUN: 'bench' },
});
let bytes = 0;
let events = 0;
for (const f of readdirSync(traceDir)) {
  const b = readFileSync(join(traceDir, f));
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  bytes += end;
  events += b.subarray(0, end).toString('latin1').split('{"t":"E"').length - 1;
}

// 2. First traced build on a warm cache (fresh GOCACHE warmed by a plain build).
const gocache = join(work, 'gocache');
const cacheEnv = { ...env, GOCACHE: gocache };
const cold = run('go', ['build', '-o', join(work, 'a'), '.'], { cwd: mod, env: cacheEnv }).secs;
const warm = run('go', ['build', '-o', join(work, 'a'), '.'], { cwd: mod, env: cacheEnv }).secs;
const first = run('go', ['build', overlayFlag, '-o', join(work, 'b'), '.'], { cwd: mod, env: cacheEnv }).secs;
const again = run('go', ['build', overlayFlag, '-o', join(work, 'b'), '.'], { cwd: mod, env: cacheEnv }).secs;

// 3. Real modules: a fresh GOCACHE per module, warmed by an untraced build and test run; then
// the untraced figures (warm), the first traced ones and the later traced ones.
const MODULES = [
  ['github.com/gin-gonic/gin', 'v1.12.0'],
  ['github.com/caarlos0/env/v11', 'v11.4.2'],
];
const modcache = run('go', ['env', 'GOMODCACHE'], { env }).stdout.trim();
function copyModule(path, version) {
  const parts = path.split('/');
  const src = join(modcache, ...parts.slice(0, -1), `${parts.at(-1)}@${version}`);
  if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) {
    run('go', ['mod', 'download', `${path}@${version}`], { cwd: mod, env: { ...env, GOFLAGS: '-mod=mod' } });
  }
  const dir = join(work, path.replace(/\//g, '_'));
  cpSync(src, dir, { recursive: true });
  const writable = (d) => {
    chmodSync(d, 0o755);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) writable(join(d, e.name));
      else chmodSync(join(d, e.name), 0o644);
    }
  };
  writable(dir);
  return dir;
}
const modRows = [];
if (process.env.BENCH_MODULES !== '0') {
  for (const [path, version] of MODULES) {
    const dir = copyModule(path, version);
    const menv = { ...env, GOCACHE: join(work, `gocache-${modRows.length}`), GOFLAGS: '-mod=mod' };
    const runDir = join(work, `run-${modRows.length}`);
    mkdirSync(runDir);
    const tenv = traceEnv({ overlayPath: prepared.overlayPath, goflags: '-mod=mod', runDir, runId: 'bench', command: ['go', 'test'] }, menv);
    const go = (args, e) => spawnSync('go', args, { cwd: dir, env: e, encoding: 'utf8', maxBuffer: 64 << 20 });
    const timed = (args, e) => {
      const t = process.hrtime.bigint();
      const r = go(args, e);
      return { secs: Number(process.hrtime.bigint() - t) / 1e9, status: r.status };
    };
    go(['build', './...'], menv);
    go(['test', '-count=1', './...'], menv);
    const build = timed(['build', './...'], menv).secs;
    const test = timed(['test', '-count=1', './...'], menv);
    // A copy of the warm cache gets `envtrace prebuild` before its first traced go test.
    const preCache = join(work, `gocache-pre-${modRows.length}`);
    cpSync(menv.GOCACHE, preCache, { recursive: true });
    const tBuild = timed(['build', './...'], tenv).secs;
    const tBuildAgain = timed(['build', './...'], tenv).secs;
    const tTest = timed(['test', '-count=1', './...'], tenv);
    const tTestAgain = timed(['test', '-count=1', './...'], tenv);
    const t0 = process.hrtime.bigint();
    const pre = spawnSync(process.execPath, [join(root, 'out', 'server', 'src', 'cli', 'main.js'), 'prebuild', '--quiet'], { cwd: dir, env: { ...menv, GOCACHE: preCache }, encoding: 'utf8' });
    if (pre.status !== 0) throw new Error(`envtrace prebuild failed in ${dir}:\n${pre.stderr}`);
    const prebuild = Number(process.hrtime.bigint() - t0) / 1e9;
    const tTestPre = timed(['test', '-count=1', './...'], { ...tenv, GOCACHE: preCache });
    rmSync(preCache, { recursive: true, force: true });
    modRows.push({ name: `${path}@${version}`, build, test, tBuild, tBuildAgain, tTest, tTestAgain, prebuild, tTestPre, status: [test.status, tTest.status] });
  }
}

const f2 = (x) => x.toFixed(2);
const met = (ok) => (ok ? 'met' : 'MISSED');
const tracedPerEvent = bytes / events;
const lines = [
  `envtrace bench:trace — ${prepared.goVersion} ${prepared.goos}/${prepared.goarch}, median of ${ROUNDS} rounds`,
  `os.Getenv untraced:              ${f1(ns.untraced)} ns`,
  `overlay compiled in, tracing off: ${f1(ns['overlay, tracing off'])} ns  (×${(ns['overlay, tracing off'] / ns.untraced).toFixed(2)})`,
  `traced:                          ${f1(ns.traced)} ns  (×${(ns.traced / ns.untraced).toFixed(0)}; rounds ${spread('traced')} ns); CPU ${f1(cpuNs.traced)} ns/read (all threads, ×${(cpuNs.traced / cpuNs.untraced).toFixed(0)} of untraced ${f1(cpuNs.untraced)}), caller's thread ${f1(threadNs.traced)} ns/read (untraced ${f1(threadNs.untraced)})`,
  `traced, secrets known:           ${f1(ns['traced, secrets known'])} ns  (×${(ns['traced, secrets known'] / ns.untraced).toFixed(0)}); CPU ${f1(cpuNs['traced, secrets known'])} ns/read, caller's thread ${f1(threadNs['traced, secrets known'])} ns/read`,
  `bytes per traced event:          ${tracedPerEvent.toFixed(0)} B`,
  `goroutine start+exit untraced:   ${f1(gns['goroutine untraced'])} ns; traced, no env access: ${f1(gns['goroutine traced'])} ns (exit hook +${f1(gns['goroutine traced'] - gns['goroutine untraced'])} ns)`,
  `goroutine exit record (GX):      ${f1(exitRecord)} ns per exit of a goroutine that made events (${f1(gns['goroutine+read traced'])} ns traced vs ${f1(gns['goroutine+read untraced'])} ns untraced, less a traced read)`,
  `plain build, fresh GOCACHE:      ${f2(cold)} s; rebuild ${f2(warm)} s`,
  `first traced build (warm cache): ${f2(first)} s (+${f2(first - warm)} s, ×${f2(first / warm)}); later ${f2(again)} s (+${f2(again - warm)} s)`,
];
lines.push(...(await (await import('./bench/gocmd.mjs')).benchGoCommand({ root, prepared, work, env, rounds: ROUNDS })));
lines.push(...(await import('./bench/build.mjs')).benchBuild({ root, work, env, rounds: ROUNDS }));
for (const m of modRows) {
  lines.push(
    `${m.name} go build ./...:  untraced ${f2(m.build)} s; first traced ${f2(m.tBuild)} s (+${f2(m.tBuild - m.build)} s, ×${f2(m.tBuild / m.build)}); later ${f2(m.tBuildAgain)} s (+${f2(m.tBuildAgain - m.build)} s)`,
    `${m.name} go test ./...:   untraced ${f2(m.test.secs)} s; first traced ${f2(m.tTest.secs)} s (+${f2(m.tTest.secs - m.test.secs)} s, ×${f2(m.tTest.secs / m.test.secs)}); later ${f2(m.tTestAgain.secs)} s (+${f2(m.tTestAgain.secs - m.test.secs)} s)${m.tTest.status === m.test.status ? '' : ` — exit status differs: ${m.test.status} vs ${m.tTest.status}`}`,
    `${m.name} after envtrace prebuild (${f2(m.prebuild)} s, in the background): first traced go test ${f2(m.tTestPre.secs)} s (+${f2(m.tTestPre.secs - m.test.secs)} s)`,
  );
}
lines.push(
  `summary: traced os.Getenv ${f1(ns.traced)} ns (×${(ns.traced / ns.untraced).toFixed(0)} of ${f1(ns.untraced)} ns; CPU ${f1(cpuNs.traced)} ns/read, caller's thread ${f1(threadNs.traced)} ns/read), goal ≤ 300 ns: ${met(ns.traced <= 300)} (load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
  `summary: first traced build of hello +${f2(first - warm)} s, later +${f2(again - warm)} s, goal later ≤ +0.3 s: ${met(again - warm <= 0.3)}`,
);
const gin = modRows.find((m) => m.name.startsWith('github.com/gin-gonic/gin'));
if (gin) {
  lines.push(`summary: gin's tests, first traced +${f2(gin.tTest.secs - gin.test.secs)} s (×${f2(gin.tTest.secs / gin.test.secs)}), goal ≤ +3 s: ${met(gin.tTest.secs - gin.test.secs <= 3)}`);
  lines.push(`summary: gin's tests, first traced after envtrace prebuild +${f2(gin.tTestPre.secs - gin.test.secs)} s, goal ≤ +3 s: ${met(gin.tTestPre.secs - gin.test.secs <= 3)}`);
}
for (const m of modRows) {
  lines.push(`summary: ${m.name} later traced build +${f2(m.tBuildAgain - m.build)} s, goal ≤ +0.3 s: ${met(m.tBuildAgain - m.build <= 0.3)}`);
}
console.log(lines.join('\n'));
rmSync(work, { recursive: true, force: true });
