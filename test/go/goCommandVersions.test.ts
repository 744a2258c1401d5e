// The traced go command on every supported release (toolchains from the module cache, run
// through envtrace's mirror GOROOT, oldest to newest): it builds from that toolchain, runs as it,
// and traces `go env GOFLAGS` with the GOFLAGS of a go env file (GOENV: a temp file); or envtrace
// says once why not and the real go runs. Either way the command works. Each test's diagnostic
// says which happened.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Report } from '../../server/src/runs/report';
import { envtrace } from './cliSupport';
import { fixture } from './recorderSupport';

const versions = readFileSync(fixture('toolchains.txt'), 'utf8').split('\n').filter(Boolean);
const work = mkdtempSync(join(tmpdir(), 'envtrace-gocmd-versions-'));
after(() => rmSync(work, { recursive: true, force: true }));

for (const v of versions) {
  test(`go${v}: the traced go command builds and traces go env GOFLAGS as go${v}, or degrades with one warning`, async (t) => {
    const out = join(work, `${v}.json`);
    const goenv = join(work, `goenv-${v}`);
    writeFileSync(goenv, 'GOFLAGS=-tags=fromfile\n');
    const env = { GOTOOLCHAIN: `go${v}`, GOENV: goenv, GOFLAGS: '' };
    const r = await envtrace(['--dir', work, '--format', 'json', '--output', out, '--', 'go', 'env', 'GOFLAGS', 'GOVERSION', 'GOROOT'], { cwd: fixture('hello'), env });
    assert.equal(r.code, 0, r.stderr);
    const [flags, version, goroot] = r.stdout.trim().split('\n');
    assert.equal(version, `go${v}`);
    // The go env file's flags, then envtrace's own (appended, never replacing the user's).
    assert.match(flags, /^-tags=fromfile -overlay=\S+ -count=1$/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const warnings = r.stderr.split('\n').filter((l) => l.includes('the go command itself is not traced'));
    const traced = report.processes.filter((p) => p.kind === 'go-command');
    if (warnings.length === 0) {
      assert.equal(traced.length, 1, r.stderr);
      const cfg = traced[0].goCommand!;
      assert.equal(cfg.goVersion, `go${v}`);
      assert.deepEqual([cfg.subcommand, cfg.args], ['env', ['GOFLAGS', 'GOVERSION', 'GOROOT']]);
      assert.deepEqual(cfg.config.find((c) => c.key === 'GOFLAGS'), { key: 'GOFLAGS', value: '-tags=fromfile', source: 'go env file', file: goenv });
      assert.equal(cfg.config.find((c) => c.key === 'GOROOT')!.value, goroot);
      t.diagnostic(`go${v}: traced (GOFLAGS="-tags=fromfile" from the go env file)`);
    } else {
      assert.equal(warnings.length, 1, r.stderr);
      assert.equal(traced.length, 0);
      t.diagnostic(`go${v}: not traced, the real go ran: ${warnings[0]}`);
    }
  });
}
