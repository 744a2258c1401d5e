/**
 * Fuzzing the run reader (issue 10), beside the scanner's scanRobust.test.ts: seeded random
 * and mutated process files and run.json files, and files that are not regular files. The
 * reader must never throw, never hang, keep its counts sane, and the text it feeds the
 * terminal must hold no raw control character.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadObservations } from '../../server/src/analysis/loadObservations';
import { RunAggregate } from '../../server/src/runs/aggregate';
import { validCount, validLine } from '../../server/src/runs/frames';
import { readRun, type RunEvent } from '../../server/src/runs/reader';
import { MAX_LINE } from '../../server/src/runs/lines';
import { readRunInfo, RunStoreError } from '../../server/src/runs/store';
import { renderText } from '../../server/src/runs/text';
import { prng } from './prng';

const repo = join(__dirname, '..', '..', '..');
const runs = join(repo, 'test', 'fixtures', 'merge', 'runs');
const RAW_IN_LINE = /[\x00-\x09\x0b-\x1f\x7f]/;

/** Every process file of the recorded fixture runs, as text. */
function fixtureLines(): string[][] {
  const out: string[][] = [];
  for (const run of readdirSync(runs).sort()) {
    for (const f of readdirSync(join(runs, run)).filter((n) => n.endsWith('.jsonl')).sort()) {
      out.push(readFileSync(join(runs, run, f), 'utf8').split('\n').filter(Boolean));
    }
  }
  return out;
}

const WEIRD: unknown[] = [0, -1, 1.5, 1e300, -0, 2 ** 53, null, true, '', '\x1b]0;t\x07', '\n', [], {}, 'A'.repeat(300), '\ud800'];

/** One mutation of a record: a field set to a weird value, removed, or the line broken as bytes. */
function mutateLine(line: string, rnd: (n: number) => number): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const keys = Object.keys(o);
  const k = keys[rnd(keys.length)];
  switch (rnd(6)) {
    case 0:
      o[k] = WEIRD[rnd(WEIRD.length)];
      return JSON.stringify(o);
    case 1:
      delete o[k];
      return JSON.stringify(o);
    case 2: {
      // a frame with a weird line or file
      if (Array.isArray(o.f) && o.f.length) (o.f[rnd(o.f.length)] as unknown[])[rnd(3)] = WEIRD[rnd(WEIRD.length)];
      return JSON.stringify(o);
    }
    case 3:
      return line.slice(0, rnd(line.length + 1));
    case 4: {
      const at = rnd(line.length + 1);
      return line.slice(0, at) + String.fromCharCode(rnd(256)) + line.slice(at);
    }
    default:
      return line.replace(/"k":"[^"]*"/, `"k":${JSON.stringify('K\x1b[2J\n' + rnd(1000))}`);
  }
}

/** Random bytes, sometimes with line ends. */
function randomBytes(rnd: (n: number) => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rnd(8) === 0 ? 10 : rnd(256);
  return b;
}

/** Reads a run directory the ways the CLI and the server do; returns what to check. */
async function readAll(dir: string): Promise<{ events: RunEvent[]; text: string; stats: Awaited<ReturnType<typeof readRun>> }> {
  const events: RunEvent[] = [];
  const agg = new RunAggregate();
  const stats = await readRun(dir, {
    process: (p) => agg.process(p),
    stack: (id, f) => agg.stack(id, f),
    goroutine: (pid, g, pg, s) => agg.goroutine(pid, g, pg, s),
    event: (e) => {
      events.push(e);
      agg.event(e);
    },
  });
  const text = renderText(agg, stats, { id: 'fuzz', dir, cwd: dir });
  const obs = await loadObservations([dir]);
  assert.equal(obs.runs.length, 1);
  return { events, text, stats };
}

function checkSane(r: Awaited<ReturnType<typeof readAll>>, what: string): void {
  const { stats, events, text } = r;
  for (const [k, v] of Object.entries(stats)) if (typeof v === 'number') assert.ok(validCount(v), `${what}: stats.${k} = ${v}`);
  assert.equal(stats.events, events.length, `${what}: every event counted once`);
  assert.ok(stats.lostEvents <= 2 ** 40, `${what}: lost events ${stats.lostEvents} is a count a file can give`);
  for (const e of events) {
    assert.ok(e.user === null || e.user.line === 0 || validLine(e.user.line), `${what}: user line ${e.user?.line}`);
    assert.ok(e.length === undefined || validCount(e.length), `${what}: length ${e.length}`);
  }
  for (const line of text.split('\n')) assert.doesNotMatch(line, RAW_IN_LINE, `${what}: raw control in ${JSON.stringify(line)}`);
}

test('400 seeded mutations and random process files: the reader never throws, counts stay sane, text stays escaped', async () => {
  const base = mkdtempSync(join(tmpdir(), 'envtrace-runfuzz-'));
  const sources = fixtureLines();
  const rnd = prng(20261203);
  try {
    for (let i = 0; i < 400; i++) {
      const dir = join(base, `r${i}`);
      mkdirSync(dir);
      const files = 1 + rnd(3);
      for (let f = 0; f < files; f++) {
        const name = `${100 + f}-${1700000000000000000 + f}.jsonl`;
        if (rnd(10) === 0) {
          writeFileSync(join(dir, name), randomBytes(rnd, rnd(4000)));
          continue;
        }
        let lines = [...sources[rnd(sources.length)]];
        for (let m = 1 + rnd(6); m > 0; m--) {
          const at = rnd(lines.length);
          if (rnd(8) === 0) lines.splice(at, 0, lines[rnd(lines.length)]); // a duplicated line
          else if (rnd(8) === 0) [lines[at], lines[0]] = [lines[0], lines[at]]; // out of order
          else lines[at] = mutateLine(lines[at], rnd);
        }
        if (rnd(6) === 0) lines = lines.slice(0, rnd(lines.length + 1));
        writeFileSync(join(dir, name), lines.join(rnd(10) === 0 ? '' : '\n'));
      }
      checkSane(await readAll(dir), `mutation ${i}`);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('process files that are not regular files are skipped with a note; a line past the cap is dropped, the next one read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-runfuzz-special-'));
  try {
    cpSync(join(runs, 'ops'), dir, { recursive: true });
    const good = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
    const before = await readAll(dir);
    symlinkSync('/dev/zero', join(dir, '901-1.jsonl'));
    symlinkSync('/dev/urandom', join(dir, '902-2.jsonl'));
    execFileSync('mkfifo', [join(dir, '903-3.jsonl')]);
    mkdirSync(join(dir, '904-4.jsonl'));
    symlinkSync(join(dir, 'gone'), join(dir, '905-5.jsonl'));
    // A regular file whose first line is longer than the cap, then a whole process.
    const lines = readFileSync(join(dir, good[0]), 'utf8');
    writeFileSync(join(dir, '906-6.jsonl'), Buffer.concat([Buffer.alloc(MAX_LINE + 5, 0x41), Buffer.from('\n' + lines)]));
    const after = await readAll(dir);
    checkSane(after, 'special files');
    assert.equal(after.stats.unreadableFiles, 5);
    assert.equal(after.events.length, before.events.length * 2, 'the good file and the one after the long line are read');
    const notes = after.stats.notes ?? [];
    assert.ok(notes.some((n) => /^901-1\.jsonl: a symlink to \/dev\/zero, outside /.test(n)), notes.join('\n'));
    assert.ok(notes.some((n) => /^902-2\.jsonl: a symlink to \/dev\/urandom/.test(n)));
    assert.ok(notes.some((n) => n === '903-3.jsonl: not a regular file (a FIFO)'));
    assert.ok(notes.some((n) => n === '904-4.jsonl: not a regular file (a directory)'));
    assert.ok(notes.some((n) => n === '906-6.jsonl: 1 line longer than 16 MB skipped'));
    assert.match(after.text, /envtrace: skipped 903-3\.jsonl: not a regular file \(a FIFO\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run.json: a FIFO, /dev/zero, random bytes and wrongly typed fields give a one-line error or sane fields', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-runjson-'));
  const rnd = prng(7);
  try {
    const file = join(dir, 'run.json');
    execFileSync('mkfifo', [file]);
    await assert.rejects(readRunInfo(dir), (e) => e instanceof RunStoreError && /run\.json: not a regular file \(a FIFO\)$/.test(e.message));
    rmSync(file);
    symlinkSync('/dev/zero', file);
    await assert.rejects(readRunInfo(dir), (e) => e instanceof RunStoreError && /a symlink to \/dev\/zero, outside/.test(e.message));
    rmSync(file);
    const valid = { version: 1, id: 'x', label: 'l', command: ['go'], cwd: '/w', start: 's', end: null, exitCode: 0, mode: 'run' };
    for (let i = 0; i < 200; i++) {
      const o: Record<string, unknown> = { ...valid };
      const k = Object.keys(valid)[rnd(9)];
      o[k] = WEIRD[rnd(WEIRD.length)];
      writeFileSync(file, rnd(10) === 0 ? randomBytes(rnd, 300) : JSON.stringify(o));
      try {
        const info = await readRunInfo(dir);
        assert.ok(info.exitCode === null || Number.isSafeInteger(info.exitCode), `exit code ${info.exitCode}`);
        assert.ok(info.label === null || typeof info.label === 'string');
        assert.ok(info.command.every((c) => typeof c === 'string'));
      } catch (e) {
        assert.ok(e instanceof RunStoreError && !e.message.includes('\n'), `case ${i}: ${(e as Error).message}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
