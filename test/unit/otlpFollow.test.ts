// ship's file follower on real files laid out as the Linux recorder leaves them (docs/FORMATS.md
// section 2): records settle only up to the first zero byte, a record being copied is held back
// until complete, a hole with records after it is handed on once it stays, and the chunks
// before the acknowledged offset are marked as replay.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { followChunks, type FollowControl, type FollowState } from '../../server/src/otlp/followFile';

const line = (seq: number) => JSON.stringify({ t: 'E', seq, g: 1, pg: 0, op: 'getenv', k: 'K', ok: true, v: 'v', t0: seq, t1: seq }) + '\n';

test('followChunks: settled lines only, a record in progress waits, a lasting hole is handed on, replay before the acknowledged offset', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-follow-'));
  try {
    const file = join(dir, '1-2.jsonl');
    const fd = openSync(file, 'w+');
    // A mapped chunk: two records, then zeros (the rest of the 64 KB written so far).
    const a = line(1) + line(2);
    writeSync(fd, Buffer.alloc(64 << 10), 0, 64 << 10, 0);
    writeSync(fd, a, 0);
    let stop = false;
    // wait() tells the test it was called, then holds the follower until the gate opens.
    let gate = Promise.resolve();
    let waitSeen = () => undefined as void;
    const wait = async () => {
      waitSeen();
      await gate;
    };
    const ctl: FollowControl = { wait, stopped: () => stop, room: async () => undefined, holeMs: 0 };
    const st: FollowState = { acked: line(1).length, handed: 0, replaying: false };
    const it = followChunks(file, dir, st, ctl)[Symbol.asyncIterator]();

    // The acknowledged first line comes alone, as replay; then the second.
    let c = await it.next();
    assert.equal(c.value.toString(), line(1));
    assert.equal(st.replaying, true);
    c = await it.next();
    assert.equal(st.handed, line(1).length);
    assert.equal(c.value.toString(), line(2));
    assert.equal(st.replaying, false);

    // Record 3 half copied (zeros after its first bytes): nothing is handed, the follower waits.
    const three = line(3);
    writeSync(fd, three.slice(0, 10), a.length);
    let open = () => undefined as void;
    gate = new Promise<void>((r) => (open = r));
    const seen = new Promise<void>((r) => (waitSeen = r));
    const next = it.next();
    await seen;
    // Its copy completes: it comes whole.
    writeSync(fd, three.slice(10), a.length + 10);
    open();
    c = await next;
    assert.equal(c.value.toString(), three);

    // A hole: record 4's bytes were reserved and never written (its writer was killed), record 5 follows.
    const hole = 40;
    writeSync(fd, line(5), a.length + three.length + hole);
    c = await it.next();
    assert.equal(c.value.length, hole);
    assert.ok(c.value.every((b: number) => b === 0));
    c = await it.next();
    assert.equal(c.value.toString(), line(5));
    assert.equal(st.handed, a.length + three.length + hole);

    stop = true;
    assert.equal((await it.next()).done, true);
    closeSync(fd);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
