// Real test suites under envtrace (issue 9): the own tests of caarlos0/env v11.4.2 and
// joho/godotenv v1.5.1, fetched through the module proxy by scripts/download-go-modules.sh
// (test/fixtures/suites/go.mod), copied out of the read-only module cache and run with
// `go test -count=1 ./...` untraced and under `envtrace`. Neither calls t.Parallel, so no race
// can happen: the traced run must report none, and end as the untraced one did.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import type { Report } from '../../server/src/runs/report';

const repo = resolve(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'envtrace-suites-'));
after(() => rmSync(work, { recursive: true, force: true }));

const modcache = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim();

/** A writable copy of a module from the module cache. */
function copyModule(path: string, version: string): string {
  const src = join(modcache, ...path.split('/').slice(0, -1), `${path.split('/').pop()}@${version}`);
  assert.ok(statSync(src).isDirectory(), `${src}: run scripts/download-go-modules.sh`);
  const dir = join(work, `${path.replace(/\//g, '_')}@${version}`);
  cpSync(src, dir, { recursive: true });
  const writable = (d: string) => {
    chmodSync(d, 0o755);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) writable(join(d, e.name));
      else chmodSync(join(d, e.name), 0o644);
    }
  };
  writable(dir);
  return dir;
}

/** `ok  \tpkg` / `FAIL\tpkg` / `?   \tpkg` lines of go test, without timings. */
function packageResults(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => /^(ok|FAIL|\?)\s+\S+/.test(l))
    .map((l) => l.split(/\s+/).slice(0, 2).join(' '))
    .sort();
}

// The runs' environment: no stray GOFLAGS of the machine (envtrace adds -count=1 itself).
const env = { ...process.env, GOFLAGS: '' };

for (const [path, version] of [
  ['github.com/caarlos0/env/v11', 'v11.4.2'],
  ['github.com/joho/godotenv', 'v1.5.1'],
] as const) {
  test(`${path} ${version}: same results traced and untraced, no race reported`, () => {
    const dir = copyModule(path, version);
    const plain = spawnSync('go', ['test', '-count=1', './...'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const report = join(work, `${version}.json`);
    const traced = spawnSync(process.execPath, [cli, '--format=json', `--output=${report}`, '--', 'go', 'test', '-count=1', './...'], {
      cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20,
    });
    assert.equal(traced.status, plain.status, traced.stdout + traced.stderr);
    assert.deepEqual(packageResults(traced.stdout), packageResults(plain.stdout));
    assert.ok(packageResults(plain.stdout).length > 0, plain.stdout + plain.stderr);
    const r = JSON.parse(readFileSync(report, 'utf8')) as Report;
    assert.ok(r.events.some((e) => e.api === 'testing.T.Setenv' || e.api === 'os.Setenv'), 'the suite writes env variables');
    assert.deepEqual(r.vars.filter((v) => v.race).map((v) => `${v.key}: ${v.race!.detail}`), []);
  });
}
