// Every supported Go release (toolchains through GOTOOLCHAIN, installed by
// scripts/install-go-toolchains.sh) compiles and traces a small fixture, and the overlay
// compiles for darwin and windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { devNull } from 'node:os';
import { traceSettings } from '../../server/src/tracer/overlay';
import { assertWellFormed, fixture, prepare, readRun, traced } from './recorderSupport';

const versions = readFileSync(fixture('toolchains.txt'), 'utf8').split('\n').filter(Boolean);

for (const v of versions) {
  test(`go${v}: the hello fixture builds with the overlay and is traced`, async () => {
    const env = { GOTOOLCHAIN: `go${v}`, HELLO_PORT: '7' };
    const r = await traced('go', ['run', '.'], { cwd: fixture('hello'), env });
    assert.equal(r.status, 0, r.stderr);
    const [f] = readRun(r.runDir);
    assertWellFormed(f);
    assert.equal(f.proc.go, `go${v}`);
    const e = f.events.find((x) => x.k === 'HELLO_PORT')!;
    assert.equal(e.v, '7');
    const frames = f.stacks.get(e.s)!.f as [string, string, number][];
    assert.deepEqual(frames.slice(0, 2).map((x) => x[0]), ['os.Getenv', 'main.main']);
    assert.ok(f.events.some((x) => x.api === 'runtime' && x.k === 'GOGC'));
    // The patched testing package (test start, end and t.Parallel records) compiles too.
    const t = await traced('go', ['test', '-c', '-o', devNull, './a'], { cwd: fixture('multi'), env });
    assert.equal(t.status, 0, t.stderr);
  });
}

test('a toolchain from the module cache runs through a mirror GOROOT (Go 1.25+ refuses overlays there)', async () => {
  const v = versions[versions.length - 1];
  const p = await prepare(fixture('hello'), { ...process.env, GOTOOLCHAIN: `go${v}` });
  assert.ok(p.toolchain, 'mirrored');
  assert.equal(p.goroot, p.toolchain.goroot);
  assert.equal(p.goVersion, `go${v}`);
  const s = traceSettings({ overlayPath: p.overlayPath, runDir: '/r', runId: 'x' }, '');
  assert.deepEqual([s.GOROOT, s.GOTOOLCHAIN], [p.toolchain.goroot, 'local'], 'found beside the overlay');
});

for (const [goos, goarch] of [['darwin', 'arm64'], ['darwin', 'amd64'], ['windows', 'amd64']]) {
  test(`GOOS=${goos} GOARCH=${goarch}: a program with children and a test binary compile with the overlay`, async () => {
    const env = { GOOS: goos, GOARCH: goarch };
    const b = await traced('go', ['build', '-o', devNull, '.'], { cwd: fixture('procs'), env });
    assert.equal(b.status, 0, b.stderr);
    const t = await traced('go', ['test', '-c', '-o', devNull, './a'], { cwd: fixture('multi'), env });
    assert.equal(t.status, 0, t.stderr);
  });
}
