// Overlay generation: caching, GOFLAGS, a user's overlay, refusing a changed GOROOT, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { PatchError, prepareOverlay, traceGoFlags, verifyOverlay } from '../../server/src/tracer/overlay';
import { applyPatch } from '../../server/src/tracer/patches';
import { commandSetsCount, splitGoFlags } from '../../server/src/tracer/goflags';
import { CACHE, fixture, readRun, traced } from './recorderSupport';

const realGoroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
const realGo = join(realGoroot, 'bin', 'go');

test('the overlay is generated once per GOROOT + version and then reused', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'envtrace-cache-'));
  const a = await prepareOverlay({ cwd: fixture('hello'), cacheDir });
  const b = await prepareOverlay({ cwd: fixture('hello'), cacheDir });
  assert.deepEqual([a.fresh, b.fresh], [true, false]);
  assert.equal(a.overlayPath, b.overlayPath);
  assert.equal(a.goroot, realGoroot);
  assert.match(a.goVersion, /^go1\.\d+/);
  const replace = JSON.parse(readFileSync(a.overlayPath, 'utf8')).Replace as Record<string, string>;
  assert.deepEqual(Object.keys(replace).map((k) => k.slice(realGoroot.length + 1)).sort(), [
    'src/runtime/env_posix.go', 'src/runtime/proc.go', 'src/syscall/env_unix.go', 'src/syscall/env_windows.go',
    'src/syscall/exec_linux.go', 'src/syscall/exec_unix.go', 'src/syscall/exec_windows.go', 'src/testing/testing.go',
  ]);
  // Line numbers of the original part do not move.
  const orig = readFileSync(join(realGoroot, 'src/syscall/env_unix.go'), 'utf8').split('\n');
  const patched = readFileSync(replace[join(realGoroot, 'src/syscall/env_unix.go')], 'utf8').split('\n');
  const at = orig.indexOf('func Getenv(key string) (value string, found bool) {');
  assert.equal(patched[at], 'func envtraceOrigGetenv(key string) (value string, found bool) {');
  const v = await verifyOverlay(a, fixture('hello'));
  assert.ok(v.ok, v.output);
  const empty = join(cacheDir, 'empty.json');
  writeFileSync(empty, '{"Replace":{}}');
  const bad = await verifyOverlay({ ...a, overlayPath: empty }, fixture('hello'));
  assert.equal(bad.ok, false);
  assert.match(bad.output, /the overlay was not applied to /);
});

test('GOFLAGS keeps the user flags and their -count, and quotes a path with spaces', async () => {
  assert.equal(traceGoFlags('-mod=mod -count=3 -tags=a,b', '/c/o.json'), '-mod=mod -count=3 -tags=a,b -overlay=/c/o.json');
  assert.equal(traceGoFlags('-mod=mod -overlay=/u.json', '/c/o.json'), '-mod=mod -overlay=/c/o.json -count=1');
  assert.equal(traceGoFlags('', '/c/o.json', false, true), '-overlay=/c/o.json');
  assert.equal(commandSetsCount(['go', 'test', '-v', '-count', '2', './...']), true);
  assert.equal(commandSetsCount(['/usr/local/go/bin/go', 'test', '-count=2']), true);
  assert.equal(commandSetsCount(['go', 'test', '.', '-args', '-count=2']), false);
  assert.equal(commandSetsCount(['go', 'run', '.', '-count=2']), false);
  assert.equal(commandSetsCount(['make', 'test', '-count=2']), false);
  assert.deepEqual(splitGoFlags(traceGoFlags("'-ldflags=-s -w'", '/a b/o.json', true)), [
    '-ldflags=-s -w', '-overlay=/a b/o.json', '-count=1', '-race',
  ]);
  // The go command accepts it: a cache directory with a space.
  const cacheDir = join(mkdtempSync(join(tmpdir(), 'envtrace cache ')), 'over lay');
  const p = await prepareOverlay({ cwd: fixture('hello'), cacheDir });
  assert.ok(p.overlayPath.includes(' '));
  const r = await traced('go', ['run', '.'], { cwd: fixture('hello'), prepared: p, env: { GOFLAGS: '-mod=mod' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readRun(r.runDir).length, 1);
});

test("a user's own -overlay in GOFLAGS is merged into envtrace's", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-user-overlay-'));
  const alt = join(dir, 'main.go');
  writeFileSync(alt, 'package main\n\nimport "os"\n\nfunc main() { println("replaced", os.Getenv("HELLO_PORT")) }\n');
  const user = join(dir, 'user.json');
  writeFileSync(user, JSON.stringify({ Replace: { [join(fixture('hello'), 'main.go')]: alt } }));
  const env = { ...process.env, GOFLAGS: `-overlay=${user}`, HELLO_PORT: '99' };
  const p = await prepareOverlay({ cwd: fixture('hello'), cacheDir: CACHE, env });
  assert.notEqual(p.overlayPath, user);
  const r = await traced('go', ['run', '.'], { cwd: fixture('hello'), prepared: p, env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /replaced 99/);
  const [f] = readRun(r.runDir);
  assert.ok(f.events.some((e) => e.k === 'HELLO_PORT' && e.v === '99'));
  // An envtrace overlay left in GOFLAGS (eval $(envtrace env)) is replaced, not merged.
  const stale = { ...process.env, GOFLAGS: `-overlay=${join(CACHE, 'stale0000', 'overlay.json')}` };
  const q = await prepareOverlay({ cwd: fixture('hello'), cacheDir: CACHE, env: stale });
  assert.match(q.overlayPath, /overlay\.json$/);
});

/** A GOROOT made of symlinks to the real one, with src/syscall copied and `edit` applied to env_unix.go. */
function fakeGoroot(edit: (s: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'envtrace-goroot-'));
  for (const e of readdirSync(realGoroot)) if (e !== 'src') symlinkSync(join(realGoroot, e), join(root, e));
  mkdirSync(join(root, 'src'));
  for (const e of readdirSync(join(realGoroot, 'src'))) {
    if (e !== 'syscall') symlinkSync(join(realGoroot, 'src', e), join(root, 'src', e));
  }
  cpSync(join(realGoroot, 'src', 'syscall'), join(root, 'src', 'syscall'), { recursive: true });
  const f = join(root, 'src', 'syscall', 'env_unix.go');
  writeFileSync(f, edit(readFileSync(f, 'utf8')));
  return root;
}

test('a GOROOT whose Setenv signature changed is refused, naming the Go version and the file', async () => {
  const root = fakeGoroot((s) => s.replace('func Setenv(key, value string) error {', 'func Setenv(key, value string) (err error) {'));
  const env = { ...process.env, GOROOT: root, GOTOOLCHAIN: 'local' };
  await assert.rejects(prepareOverlay({ go: realGo, cwd: fixture('hello'), cacheDir: CACHE, env }), (e: Error) => {
    assert.match(e.message, /cannot patch go1\.\d+/);
    assert.match(e.message, /src\/syscall\/env_unix\.go/);
    assert.match(e.message, /"func Setenv\(key, value string\) error \{", found 0/);
    return true;
  });
});

test('a missing go binary and an unsupported Go version give one clear line', async () => {
  await assert.rejects(prepareOverlay({ go: '/nonexistent/go', cwd: fixture('hello') }), /go not found at \/nonexistent\/go/);
  await assert.rejects(prepareOverlay({ cwd: fixture('hello'), env: { PATH: '/nonexistent' } }), /"go" not found on PATH/);
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-oldgo-'));
  const fake = join(dir, 'go');
  writeFileSync(fake, `#!/bin/sh\necho '{"GOROOT":"/x","GOVERSION":"go1.20.14","GOOS":"linux","GOARCH":"amd64"}'\n`, { mode: 0o755 });
  await assert.rejects(prepareOverlay({ go: fake, cwd: fixture('hello') }), /go1\.20\.14 is not supported: envtrace needs Go 1\.21 or newer/);
  const file = join(dir, 'not-a-dir');
  writeFileSync(file, '');
  await assert.rejects(prepareOverlay({ cwd: fixture('hello'), cacheDir: join(file, 'cache') }), /^Error: cannot write the overlay cache .*not-a-dir/);
});

test('applyPatch renames by exact signature (calls inside the file too), imports on the package line, lines unmoved', () => {
  const src = [
    '//go:build windows', '', 'package syscall', '', 'import "unsafe"', '',
    'func Unsetenv(key string) error {', '\treturn nil', '}', '',
    'func Clearenv() {', '\tfor _, s := range Environ() {', '\t\tUnsetenv(s)', '\t}', '}', '',
    'func Environ() []string {', '\treturn nil', '}', '',
  ].join('\n');
  const patch = {
    file: 'src/syscall/env_windows.go',
    renames: [
      { name: 'Unsetenv', sig: 'func Unsetenv(key string) error {' },
      { name: 'Clearenv', sig: 'func Clearenv() {' },
      { name: 'Environ', sig: 'func Environ() []string {' },
    ],
    imports: { etsync: 'sync' },
  };
  const out = applyPatch(patch, src, 'go1.99', '/nowhere').split('\n');
  assert.equal(out.length, src.split('\n').length);
  assert.equal(out[2], 'package syscall; import (etsync "sync")');
  assert.equal(out[6], 'func envtraceOrigUnsetenv(key string) error {');
  assert.equal(out[11], '\tfor _, s := range envtraceOrigEnviron() {');
  assert.equal(out[12], '\t\tenvtraceOrigUnsetenv(s)');
  const twice = src + '\nfunc Environ() []string {\n}\n';
  assert.throws(() => applyPatch(patch, twice, 'go1.99', '/nowhere'), (e: Error) => {
    assert.ok(e instanceof PatchError);
    assert.equal(
      e.message,
      'envtrace cannot patch go1.99: $GOROOT/src/syscall/env_windows.go: expected exactly one line "func Environ() []string {", found 2 (this Go release changed the file; envtrace needs an update)',
    );
    return true;
  });
});
