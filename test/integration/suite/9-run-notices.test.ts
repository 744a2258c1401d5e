/// <reference types="mocha" />
// Issue 18 item 9: the progress mentions the standard library rebuild only when it happens, a
// finished run is announced, and a failed run shows as failed in the status bar.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activate, runDir, storedRuns, traceRun, waitFor } from '../helpers';

function newRun(before: Set<string>): string {
  const id = storedRuns().find((d) => !before.has(d));
  assert.ok(id, 'a new run');
  return id;
}

describe('run notices: progress, end of run, failure in the status bar', () => {
  it('announces a failed run and shows it failed in the status bar', async () => {
    const api = await activate();
    const before = new Set(storedRuns());
    assert.equal((await traceRun(['/bin/sh', '-c', 'go run . && exit 3'])).exitCode, 3);
    const id = newRun(before);
    const info = JSON.parse(fs.readFileSync(path.join(runDir(id), 'run.json'), 'utf8')) as { firstBuild?: boolean };
    assert.equal(/recompiles part of the standard library/.test(api.lastProgress()), info.firstBuild === true, api.lastProgress());
    const notice = await waitFor('the notice of the failed run', () => (/failed \(exit 3\)/.test(api.lastNotice()) ? api.lastNotice() : undefined));
    assert.match(notice, /its run is stored: \d+ keys? · \d+ unset · \d+ races?\.$/);
    const status = await waitFor('the status bar of the failed run', async () => {
      const t = await api.statusText();
      return t.includes('exit 3') ? t : undefined;
    });
    assert.match(status, /^\$\(error\) envtrace: exit 3 · \d+ keys? · /);
  });

  it('announces a run that finished, and the status bar no longer shows a failure', async () => {
    const api = await activate();
    const before = new Set(storedRuns());
    assert.equal((await traceRun(['go', 'run', '.'], { PORT: '7070' })).exitCode, 0);
    const id = newRun(before);
    const notice = await waitFor('the notice of the finished run', () => (/finished: /.test(api.lastNotice()) ? api.lastNotice() : undefined));
    assert.match(notice, /finished: 3 keys · \d+ unset · \d+ races?\.$/);
    const status = await waitFor('the status bar of the passing run', async () => {
      const t = await api.statusText();
      return t.startsWith('$(eye) envtrace: ') ? t : undefined;
    });
    assert.ok(!status.includes('exit'), status);
    // The progress spoke of recompiling the standard library only if run.json says this build did.
    const info = JSON.parse(fs.readFileSync(path.join(runDir(id), 'run.json'), 'utf8')) as { firstBuild?: boolean };
    assert.equal(/recompiles part of the standard library/.test(api.lastProgress()), info.firstBuild === true, api.lastProgress());
    assert.equal(info.firstBuild, undefined, 'the suite traced a build before: this one is not the first');
  });
});
