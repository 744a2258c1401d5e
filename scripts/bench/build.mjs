// bench:trace rows for `envtrace build`: ns per os.Getenv of one program built by `go build`
// (the baseline) and by `envtrace build`, run with ENVTRACE_DIR unset (inert) and set
// (recording), interleaved rounds in one run; and the build time of `envtrace build` against
// `go build` (first build on a GOCACHE warmed by the plain build, then later builds).
// The CLI runs from out/ (compiled by bench-trace's tsc step). Median of `rounds`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function run(cmd, args, opts) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return { stdout: r.stdout, secs: Number(process.hrtime.bigint() - t) / 1e9 };
}

const LOOP = `package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

var sink string

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	t := time.Now()
	for i := 0; i < n; i++ {
		sink = os.Getenv("BENCH_VAR")
	}
	fmt.Println(float64(time.Since(t).Nanoseconds()) / float64(n))
}
`;

/** Returns the printed lines. `env`: bench-trace's environment (toolchain settings included). */
export function benchBuild({ root, work, env, rounds }) {
  const mod = join(work, 'shipbench');
  mkdirSync(mod);
  writeFileSync(join(mod, 'go.mod'), 'module example.com/shipbench\n\ngo 1.21\n');
  writeFileSync(join(mod, 'main.go'), LOOP);
  const cli = join(root, 'out', 'server', 'src', 'cli', 'main.js');
  // A fresh overlay cache and GOCACHE, warmed by the plain build: the first `envtrace build` pays
  // what a CI job with a warm Go cache pays once.
  const benv = { ...env, XDG_CACHE_HOME: join(work, 'shipbench-xdg'), GOCACHE: join(work, 'shipbench-gocache') };
  const plain = join(work, 'shipbench-plain');
  const built = join(work, 'shipbench-envtrace');
  run('go', ['build', '-o', plain, '.'], { cwd: mod, env: benv });
  const goBuild = run('go', ['build', '-o', plain, '.'], { cwd: mod, env: benv }).secs;
  const first = run(process.execPath, [cli, 'build', '-o', built, '.'], { cwd: mod, env: benv }).secs;
  const later = [];
  const plainLater = [];
  for (let i = 0; i < rounds; i++) {
    plainLater.push(run('go', ['build', '-o', plain, '.'], { cwd: mod, env: benv }).secs);
    later.push(run(process.execPath, [cli, 'build', '-o', built, '.'], { cwd: mod, env: benv }).secs);
  }

  const runDir = join(work, 'shipbench-run');
  mkdirSync(runDir);
  const settings = {
    'go build, untraced': { bin: plain, env: {}, n: '20000000' },
    'envtrace build, ENVTRACE_DIR unset': { bin: built, env: {}, n: '20000000' },
    'envtrace build, ENVTRACE_DIR set': { bin: built, env: { ENVTRACE_DIR: runDir }, n: '300000' },
  };
  const samples = Object.fromEntries(Object.keys(settings).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, s] of Object.entries(settings)) {
      samples[name].push(Number(run(s.bin, [s.n], { cwd: mod, env: { ...env, BENCH_VAR: 'value', ...s.env } }).stdout.trim()));
    }
    for (const f of readdirSync(runDir)) rmSync(join(runDir, f));
  }
  const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const base = ns['go build, untraced'];
  const inert = ns['envtrace build, ENVTRACE_DIR unset'];
  const rec = ns['envtrace build, ENVTRACE_DIR set'];
  const f1 = (x) => x.toFixed(1);
  const f2 = (x) => x.toFixed(2);
  return [
    `os.Getenv, go build binary:      ${f1(base)} ns`,
    `envtrace build, ENVTRACE_DIR unset: ${f1(inert)} ns  (×${(inert / base).toFixed(2)} of go build's)`,
    `envtrace build, ENVTRACE_DIR set:   ${f1(rec)} ns  (×${(rec / base).toFixed(0)})`,
    `envtrace build time:             first ${f2(first)} s, later ${f2(median(later))} s; go build (cached) ${f2(goBuild)} s, later ${f2(median(plainLater))} s (+${f2(median(later) - median(plainLater))} s)`,
    `summary: envtrace build inert os.Getenv ${f1(inert)} ns vs go build's ${f1(base)} ns (×${(inert / base).toFixed(2)}), goal within noise (≤ ×1.10): ${inert / base <= 1.1 ? 'met' : 'MISSED'}`,
  ];
}
