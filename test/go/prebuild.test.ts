// `envtrace prebuild` for real: after it, the first traced `go test` of the project compiles
// only its test main (go test builds that one without debug information, -c with it) and vets
// nothing; `--if-needed` then has nothing to do. Uses the machine's go build cache.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { envtrace } from './cliSupport';
import { fixture } from './recorderSupport';

const work = mkdtempSync(join(tmpdir(), 'envtrace-prebuild-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The import paths (-p) of the compiles a `go … -x` printed. */
function compiled(stderr: string): string[] {
  return [...stderr.matchAll(/\/compile -o \S+ -trimpath "[^"]*" -p (\S+)/g)].map((m) => m[1]);
}

test('envtrace prebuild: the first traced go test then compiles only its test main and vets nothing', async () => {
  const app = join(work, 'multi');
  cpSync(fixture('multi'), app, { recursive: true });
  const pre = await envtrace(['prebuild'], { cwd: app });
  assert.equal(pre.code, 0, pre.stderr);
  assert.match(pre.stderr, /^envtrace: prebuilding the packages of \.\/\.\.\. and their tests with the recorder for go1\.\d+/m);

  const again = await envtrace(['prebuild', '--if-needed'], { cwd: app });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stderr, '', 'nothing to do: the same project was prebuilt with the same overlay');

  const run = await envtrace(['--quiet', '--no-go-command', '--', 'go', 'test', '-x', './...'], { cwd: app });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(compiled(run.stderr).every((p) => p === 'main'), `compiled: ${compiled(run.stderr).join(' ')}`);
  assert.doesNotMatch(run.stderr, /\/vet /, 'vet facts of every dependency came from the cache');
});

test('envtrace prebuild refuses packages: it builds what ./... needs', async () => {
  const r = await envtrace(['prebuild', './a'], { cwd: work });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /prebuild takes no command or package \(got "\.\/a"\)/);
});
