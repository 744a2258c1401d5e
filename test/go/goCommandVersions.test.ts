// The traced go command on every supported release (toolchains from the module cache, run
// through envtrace's mirror GOROOT): it builds and reports the toolchain's own version and
// GOROOT, or envtrace says once why not and the real go runs. Either way the command works.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  test(`go${v}: the traced go command builds and runs as go${v}, or degrades with one warning`, async () => {
    const out = join(work, `${v}.json`);
    const env = { GOTOOLCHAIN: `go${v}`, GOENV: join(work, 'goenv'), GOFLAGS: '' };
    const r = await envtrace(['--dir', work, '--format', 'json', '--output', out, '--', 'go', 'env', 'GOVERSION', 'GOROOT'], { cwd: fixture('hello'), env });
    assert.equal(r.code, 0, r.stderr);
    const [version, goroot] = r.stdout.trim().split('\n');
    assert.equal(version, `go${v}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const warnings = r.stderr.split('\n').filter((l) => l.includes('the go command itself is not traced'));
    const traced = report.processes.filter((p) => p.kind === 'go-command');
    if (warnings.length === 0) {
      assert.equal(traced.length, 1, r.stderr);
      assert.equal(traced[0].goCommand!.config.find((c) => c.key === 'GOROOT')!.value, goroot);
    } else {
      assert.equal(warnings.length, 1, r.stderr);
      assert.equal(traced.length, 0);
    }
  });
}
