// The synthetic run of `npm run bench:pictures`: `events` events in 4 processes, 32 goroutines
// each, 1,000 keys over 200 stacks, a test per goroutine, every key written and read by many
// goroutines (so race analysis has the most to do). `seed` and `value` vary a second run for
// Compare Runs: another seed reads other keys at other times; `value` is what every tenth key
// holds (written and read), so another value changes 100 keys.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { xorshift32 } from './prng.mjs';

export const PROCS = 4;
export const GOROUTINES = 32;
export const STACKS = 200;
export const KEYS = 1000;

/** Writes the run `id` under `base`; returns its directory. */
export function writePictureRun(base, id, { events, seed, value = 'x' }) {
  const runDir = join(base, id);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'run.json'), JSON.stringify({ id, label: 'bench', command: ['bench'], cwd: base, start: 4102444799000, end: 4102444800000, exitCode: 0 }));
  const rnd = xorshift32(seed);
  const perProc = Math.ceil(events / PROCS);
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
      const k = rnd(KEYS);
      const v = k % 10 === 0 ? value : 'v';
      const ev = s % 10 === 0 ? { t: 'E', seq: i, g, pg: 1, op: 'setenv', k: `KEY_${k}`, ok: true, v, t0: t, t1: t + 500, s } : { t: 'E', seq: i, g, pg: 1, op: 'getenv', k: `KEY_${k}`, ok: rnd(5) > 0, v, t0: t, t1: t + 500, s };
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
  return runDir;
}
