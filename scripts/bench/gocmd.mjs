// bench:trace rows for the traced go command: the one-time cost of building cmd/go with the
// overlay (into a fresh cache directory; the user's GOCACHE as it is), and the per-invocation
// cost of the traced go (recording into a temp run directory) against the real one, for
// `go env GOPATH` and `go list ./...` on examples/shop. Median of `rounds`. Figures only.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(cmd, args, opts) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Returns the printed lines. `prepared`: bench-trace's PreparedOverlay; `env`: its environment. */
export async function benchGoCommand({ root, prepared, work, env, rounds }) {
  const require = createRequire(import.meta.url);
  const { prepareGoCommand } = require(join(root, 'out', 'server', 'src', 'tracer', 'gocmd.js'));
  const t = process.hrtime.bigint();
  const built = await prepareGoCommand(prepared, { cacheBase: join(work, 'gocmd-cache'), env });
  const buildSecs = Number(process.hrtime.bigint() - t) / 1e9;
  if ('error' in built) return [`traced go command:               not built (${built.error})`];
  const realGo = prepared.toolchain ? join(prepared.toolchain.bin, 'go') : prepared.go;
  const tracedGo = join(built.bin, 'go');
  const runDir = join(work, 'gocmd-run');
  mkdirSync(runDir, { recursive: true });
  const tracedEnv = { ...env, ENVTRACE_DIR: runDir, ENVTRACE_RUN: 'bench', ENVTRACE_STACK: '16' };
  const shop = join(root, 'examples', 'shop');
  const rows = [];
  for (const [name, args] of [['go env GOPATH', ['env', 'GOPATH']], ['go list ./...', ['list', './...']]]) {
    const real = [];
    const traced = [];
    for (let i = 0; i < rounds; i++) {
      real.push(timed(realGo, args, { cwd: shop, env }));
      traced.push(timed(tracedGo, args, { cwd: shop, env: tracedEnv }));
    }
    const [r, tr] = [median(real), median(traced)];
    rows.push(`${`${name}:`.padEnd(33)}${r.toFixed(1)} ms real, ${tr.toFixed(1)} ms traced (+${(tr - r).toFixed(1)} ms)`);
  }
  return [`traced go command, one-time build: ${buildSecs.toFixed(1)} s (your GOCACHE as it is: what earlier builds left is reused)`, ...rows];
}
