import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RunAggregate } from '../../server/src/runs/aggregate';
import { GoCommandCollector, splitGoCommands } from '../../server/src/runs/goCommand';
import { readOptionsFor, reportEvent, reportHead, writeJsonReport } from '../../server/src/runs/load';
import { readRun } from '../../server/src/runs/reader';
import { readRunInfo, type StoredRun } from '../../server/src/runs/store';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'runs');

/** The report as the string path wrote it before events went out as bytes: head, one JSON.stringify per event, tail. */
async function stringReport(run: StoredRun, done: Awaited<ReturnType<typeof writeJsonReport>>): Promise<string> {
  const agg = new RunAggregate();
  const go = new GoCommandCollector();
  const split = splitGoCommands(agg, go);
  const events: string[] = [];
  await readRun(run.dir, { ...split, event: (e, p) => {
    split.event!(e, p);
    if (!go.commands.has(p.pid)) events.push(JSON.stringify(reportEvent(e.stack !== null && !agg.stacks.has(e.stack) ? { ...e, stack: null } : e)));
  } }, readOptionsFor(run));
  const { vars, counts, problems, ...first } = reportHead(run, done.agg, done.stats, done.goCommands);
  const open = JSON.stringify(first, null, 1);
  return `${open.slice(0, -2)},\n "events": [${events.map((e) => `\n  ${e}`).join(',')}\n ],\n "vars": ${JSON.stringify(vars)},\n "counts": ${JSON.stringify(counts)},\n "problems": ${JSON.stringify(problems)}\n}\n`;
}

async function bytesReport(run: StoredRun): Promise<{ text: string; done: Awaited<ReturnType<typeof writeJsonReport>> }> {
  const parts: Buffer[] = [];
  const done = await writeJsonReport(run, { write: (t) => void parts.push(Buffer.from(t)), writeBytes: (b) => void parts.push(Buffer.from(b)) });
  return { text: Buffer.concat(parts).toString('utf8'), done };
}

/** A run of several megabytes of events: secrets, unset keys, writes, spawns, odd values, a test, lines the fast path leaves to JSON.parse. */
function bigRun(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ version: 1, id: 'big', label: null, command: ['go', 'test'], cwd: '/work/app', start: '', end: null, exitCode: 0, goVersion: 'go1.26.8', goos: 'linux', goarch: 'amd64', gitCommit: null, mode: 'run' }));
  for (let p = 0; p < 3; p++) {
    const pid = 100 + p;
    const lines = [JSON.stringify({ t: 'P', v: 1, pid, ppid: 1, parent: 0, run: 'big', argv: ['app.test'], cwd: '/work/app', go: 'go1.26.8', os: 'linux', arch: 'amd64', wall: 1764158400000000000 + p, mono: 1e9, depth: 16, env: [] })];
    lines.push(JSON.stringify({ t: 'T', g: 5, pg: 1, name: 'TestBig', t0: 1e9 + 1 }));
    for (let s = 1; s <= 20; s++) lines.push(JSON.stringify({ t: 'S', id: s, f: [[s % 4 ? 'os.Getenv' : 'os.Setenv', '/usr/lib/go/src/os/env.go', 100], [`main.f${s}`, `/work/app/f${s}.go`, s + 1]] }));
    for (let seq = 1; seq <= 12_000; seq++) {
      const s = 1 + (seq % 20);
      const e: Record<string, unknown> = { t: 'E', seq, g: 5 + (seq % 7), pg: 5, op: s % 4 ? 'getenv' : 'setenv', k: `KEY_${s}` };
      if (s === 3) Object.assign(e, { k: 'API_TOKEN', ok: true, h: (seq % 5).toString(16).padStart(16, '0'), n: 24 });
      else if (seq % 11 === 0) e.ok = false;
      else Object.assign(e, { ok: true, v: seq % 13 === 0 ? `ünï "q" \\ ${seq % 3} \u2028` : `value-${seq % 4}` });
      Object.assign(e, { t0: 1e9 + seq * 1000 + p * 7, t1: 1e9 + seq * 1000 + 300, s, wg: 0, wf: false });
      lines.push(seq % 97 === 0 ? JSON.stringify(e, null, 1).replace(/\n/g, '') : JSON.stringify(e));
      if (seq % 1000 === 0) lines.push(JSON.stringify({ t: 'E', seq: ++seq, g: 5, pg: 1, op: 'spawn', path: '/bin/sh', argv: ['sh', '-c', 'x'], cpid: 9000 + seq, t0: 1e9 + seq * 1000, t1: 1e9 + seq * 1000 + 1 }));
    }
    writeFileSync(join(dir, `${pid}-${1764158400000000000 + p}.jsonl`), lines.join('\n') + '\n');
  }
}

test('the JSON report is byte for byte what the string path wrote, on recorded runs and on a run of several megabytes', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'envtrace-report-bytes-'));
  try {
    bigRun(join(tmp, 'big'));
    for (const dir of [join(tmp, 'big'), ...['basic', 'races', 'trimpath'].map((n) => join(fixtures, n)), join(fixtures, '..', 'merge', 'runs', 'ops')]) {
      const run = { dir, info: await readRunInfo(dir) };
      const { text, done } = await bytesReport(run);
      assert.equal(text, await stringReport(run, done), dir);
      assert.ok(JSON.parse(text).events.length > 0, dir);
    }
    assert.ok(Buffer.byteLength((await bytesReport({ dir: join(tmp, 'big'), info: await readRunInfo(join(tmp, 'big')) })).text) > 3 << 20, 'several chunks');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
