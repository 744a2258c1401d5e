import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FlameRequest, TimelineRequest, type FlameResult } from '../../server/src/protocol';
import type { TimelineWindow } from '../../server/src/runs/timelineView';
import { repoRoot } from './lspClient';
import { serveMergeWorkspace } from './runtimeSupport';

// The pictures' requests over a real connection: both views cut from the one pass the server
// keeps, the timeline answering before race analysis and again, complete, when asked to wait.
describe('envtrace/flame and envtrace/timeline', () => {
  const races = join(repoRoot, 'test', 'fixtures', 'runs', 'races');
  let served: Awaited<ReturnType<typeof serveMergeWorkspace>>;

  before(async () => {
    served = await serveMergeWorkspace([]);
  });
  after(async () => {
    assert.equal(await served.stop(), 0);
  });

  test('the timeline comes first without its race lines (racesPending), then with them when the request waits', async () => {
    const first = await served.client.request<TimelineWindow>(TimelineRequest.method, { run: races });
    assert.ok(first.lanes.length > 2);
    assert.equal(first.racesPending, true);
    assert.deepEqual(first.races, []);
    const complete = await served.client.request<TimelineWindow>(TimelineRequest.method, { run: races, waitForRaces: true });
    assert.equal(complete.racesPending, false);
    assert.ok(complete.races.some((r) => r.key === 'A_DEFINITE'), JSON.stringify(complete.races.map((r) => r.key)));
    assert.deepEqual(complete.lanes, first.lanes);
    // Once analysed, a plain request has them too.
    assert.equal((await served.client.request<TimelineWindow>(TimelineRequest.method, { run: races, key: 'A_DEFINITE' })).racesPending, false);
  });

  test('the flame graph of the same run, filtered, and a run that is not one answer as expected', async () => {
    const all = await served.client.request<FlameResult>(FlameRequest.method, { run: races });
    const writes = await served.client.request<FlameResult>(FlameRequest.method, { run: races, filter: { ops: ['write'] } });
    assert.ok(all.total > writes.total && writes.total > 0);
    assert.deepEqual(writes.keys, all.keys, 'the filters choose from the whole run');
    assert.ok(all.keys.includes('A_DEFINITE'));
    await assert.rejects(served.client.request(FlameRequest.method, { run: join(races, 'nope') }), /cannot read run/);
  });
});
