// The recorder's parsing of /proc/self/cgroup, /proc/self/mountinfo, the build information and
// key files, on fixture files: the real fragment (server/go/syscall/env/k_container.go) is
// compiled alone beside test/fixtures/go/whereparse/where_test.go with the real toolchain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixture } from './recorderSupport';

test('container id, module path and key text: the fragment passes its Go tests on fixture files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-whereparse-'));
  try {
    cpSync(fixture('whereparse'), dir, { recursive: true });
    copyFileSync(resolve(__dirname, '..', '..', '..', 'server', 'go', 'syscall', 'env', 'k_container.go'), join(dir, 'k_container.go'));
    const env: NodeJS.ProcessEnv = { ...process.env, GOFLAGS: '-count=1', GOTOOLCHAIN: 'local' };
    for (const k of Object.keys(env)) if (k.startsWith('ENVTRACE_')) delete env[k];
    const r = spawnSync('go', ['test', '-v', '.'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const t of ['TestContainerID', 'TestModulePath', 'TestKeyText']) assert.match(r.stdout, new RegExp(`--- PASS: ${t}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
