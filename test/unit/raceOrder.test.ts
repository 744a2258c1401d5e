// The orderings race analysis sees (server/src/analysis/raceOrder.ts), each on a small
// hand-made trace: test records, test ends, t.Parallel pauses, goroutine exits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RaceCollector } from '../../server/src/analysis/races';
import type { RunEvent } from '../../server/src/runs/reader';

const MS = 1_000_000;

/** A trace being written: events of key K (or another) and the records around them. */
class Trace {
  readonly c = new RaceCollector();
  private seq = 0;
  private gen = new Map<string, number>();

  access(g: number, pg: number, op: 'getenv' | 'setenv', atMs: number, opts: { key?: string; api?: string; file?: string } = {}): this {
    const key = opts.key ?? 'K';
    const wg = this.gen.get(key) ?? 0;
    if (op === 'setenv') this.gen.set(key, wg + 1);
    const e: RunEvent = {
      weight: 1,
      pid: 1, seq: ++this.seq, goroutine: g, parentGoroutine: pg, op, key, found: true, value: 'v', redacted: false,
      hash: undefined, length: undefined, error: undefined, t0: atMs * MS, t1: atMs * MS + 1000, time: 0,
      api: opts.api ?? (op === 'getenv' ? 'os.Getenv' : 'os.Setenv'), stack: null,
      user: opts.file ? { function: 'main.f', file: opts.file, line: 3 } : null,
      writeGen: wg, writeInFlight: false, test: undefined, path: undefined, argv: undefined, childPid: undefined,
    };
    this.c.add(e);
    return this;
  }

  testStart(g: number, pg: number, atMs: number): this {
    this.c.goroutine(1, g, pg, atMs * MS);
    return this;
  }

  testEnd(g: number, atMs: number): this {
    this.c.mark(1, g, 'TE', atMs * MS);
    return this;
  }

  parallel(g: number, atMs: number): this {
    this.c.mark(1, g, 'TP', atMs * MS);
    return this;
  }

  exit(g: number, atMs: number): this {
    this.c.mark(1, g, 'GX', atMs * MS);
    return this;
  }

  level(key = 'K'): string | null {
    return this.c.races().get(key)?.level ?? null;
  }
}

test('sequential tests (the issue\'s four lines): ordered by their test ends; t.Setenv never races', () => {
  const t = new Trace()
    .testStart(3, 1, 1).access(3, 1, 'getenv', 2).testEnd(3, 3)
    .testStart(4, 1, 4).access(4, 1, 'setenv', 5).testEnd(4, 6)
    .testStart(5, 1, 7).access(5, 1, 'getenv', 8, { key: 'J', api: 'testing.T.Setenv' }).access(5, 1, 'setenv', 8, { key: 'J', api: 'testing.T.Setenv', file: '/w/a_test.go' })
    .access(5, 1, 'setenv', 9, { key: 'J', api: 'testing.T.Setenv' }).testEnd(5, 10)
    .testStart(6, 1, 11).access(6, 1, 'getenv', 12, { key: 'J', api: 'testing.T.Setenv' }).access(6, 1, 'setenv', 12, { key: 'J', api: 'testing.T.Setenv', file: '/w/a_test.go' })
    .testEnd(6, 13);
  assert.equal(t.level('K'), null);
  assert.equal(t.level('J'), null);
});

test('subtests: sequential siblings are ordered, the parent after its subtest ended too', () => {
  const t = new Trace()
    .testStart(10, 1, 1).access(10, 1, 'getenv', 2)
    .testStart(11, 10, 3).access(11, 10, 'setenv', 4).testEnd(11, 5)
    .testStart(12, 10, 6).access(12, 10, 'getenv', 7).testEnd(12, 8)
    .access(10, 1, 'getenv', 9).testEnd(10, 10);
  assert.equal(t.level(), null);
});

test('overlapping t.Parallel tests, one writing and one reading, race; before the pause they do not', () => {
  const par = new Trace()
    .testStart(20, 1, 1).parallel(20, 2)
    .testStart(21, 1, 3).parallel(21, 4)
    .access(20, 1, 'setenv', 10).access(21, 1, 'getenv', 11)
    .testEnd(20, 12).testEnd(21, 13);
  assert.equal(par.level(), 'possible');
  const pre = new Trace()
    .testStart(20, 1, 1).access(20, 1, 'setenv', 2).parallel(20, 3)
    .testStart(21, 1, 4).access(21, 1, 'getenv', 5).testEnd(21, 6)
    .testEnd(20, 12);
  assert.equal(pre.level(), null);
});

test('a goroutine a test left running: ordered only for what it did before its test ended', () => {
  // Test 30 starts server goroutine 31, which reads K while test 30 runs; test 32 writes K later.
  const during = new Trace()
    .testStart(30, 1, 1).access(31, 30, 'getenv', 2).testEnd(30, 3)
    .testStart(32, 1, 4).access(32, 1, 'setenv', 5).testEnd(32, 6);
  assert.equal(during.level(), null);
  // The same goroutine reading after its test ended, while the later test writes: a race.
  const after = new Trace()
    .testStart(30, 1, 1).access(31, 30, 'getenv', 2).testEnd(30, 3)
    .testStart(32, 1, 4).access(32, 1, 'setenv', 5).access(31, 30, 'getenv', 6).testEnd(32, 7);
  assert.equal(after.level(), 'possible');
});

test('goroutine exits: readers that exited before the write (wg.Wait, then write) are ordered', () => {
  const waited = new Trace();
  for (let g = 2; g < 10; g++) waited.access(g, 1, 'getenv', g).exit(g, g + 0.5);
  waited.access(1, 0, 'setenv', 20);
  assert.equal(waited.level(), null);
  // Without the exits the same trace is a possible race.
  const unknown = new Trace();
  for (let g = 2; g < 10; g++) unknown.access(g, 1, 'getenv', g);
  unknown.access(1, 0, 'setenv', 20);
  assert.equal(unknown.level(), 'possible');
  // A sibling that wrote and exited before another sibling read is not ordered (no one waited).
  const siblings = new Trace().access(2, 1, 'setenv', 1).exit(2, 2).access(3, 1, 'getenv', 3);
  assert.equal(siblings.level(), 'possible');
});

test('readers in a loop while another goroutine writes: a likely race, exits afterwards change nothing', () => {
  const t = new Trace();
  for (let g = 2; g < 10; g++) t.access(g, 1, 'getenv', g);
  t.access(1, 0, 'setenv', 20);
  for (let g = 2; g < 10; g++) t.access(g, 1, 'getenv', 20 + g).exit(g, 40);
  assert.equal(t.level(), 'likely');
});

test('go statements: a write before the go statement is ordered before the child and its children', () => {
  const t = new Trace().access(1, 0, 'setenv', 1).access(2, 1, 'getenv', 2).access(3, 2, 'getenv', 3);
  assert.equal(t.level(), null);
  // A write after the child started is not ordered.
  const late = new Trace().access(2, 1, 'getenv', 1).access(1, 0, 'setenv', 2);
  assert.equal(late.level(), 'possible');
});
