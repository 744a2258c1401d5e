// The CLI's stdout on a real pipe (issue 13): a reader that stops early (`| head`) ends envtrace
// quietly, a slow reader gets every byte, and writes wait for the pipe instead of piling up in
// memory (nodeIo's writer, in a child process of its own with its stdout on a pipe).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Report } from '../../server/src/runs/report';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const EVENTS = 60_000;

let dir: string;

/** A run directory of one process that read PORT `EVENTS` times, each value different (a big JSON report). */
function writeRun(into: string): void {
  const lines = [
    JSON.stringify({ t: 'P', v: 1, pid: 4242, ppid: 1, parent: 0, run: 'pipe', argv: ['/app/pipe'], cwd: into, go: 'go1.26.8', os: 'linux', arch: 'amd64', wall: 1_764_000_000_000_000_000, mono: 1_000_000, depth: 16 }),
    JSON.stringify({ t: 'S', id: 1, api: 'os.Getenv', f: [['os.Getenv', '/usr/local/go/src/os/env.go', 103], ['main.main', join(into, 'main.go'), 12]] }),
  ];
  for (let i = 1; i <= EVENTS; i++) lines.push(`{"t":"E","seq":${i},"g":1,"pg":0,"op":"getenv","k":"PORT","ok":true,"v":"${8000 + i}","t0":${1_000_000 + i * 10},"t1":${1_000_005 + i * 10},"s":1,"wg":0,"wf":false}`);
  writeFileSync(join(into, '4242-1764000000000000000.jsonl'), lines.join('\n') + '\n');
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'envtrace-pipe-'));
  writeRun(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('envtrace report | head: the reader goes away, envtrace exits 0 without a word (stdout and stderr)', () => {
  for (const format of ['json', 'text']) {
    for (const redirect of ['2>"$ERR"', '2>&1']) {
      const errFile = join(dir, 'stderr.txt');
      writeFileSync(errFile, '');
      const r = spawnSync('bash', ['-c', `"$NODE" "$CLI" report --format ${format} "$RUN" ${redirect} | head -c 200; echo; echo "status \${PIPESTATUS[0]}"`], {
        env: { ...process.env, NODE: process.execPath, CLI: cli, RUN: dir, ERR: errFile },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /\nstatus 0\n$/, `${format} ${redirect}: ${r.stdout.slice(-300)}`);
      assert.match(r.stdout, format === 'json' ? /^\{/ : /^\[GETENV\]/);
      assert.equal(spawnSync('cat', [errFile], { encoding: 'utf8' }).stdout, '', `${format} ${redirect}: nothing on stderr`);
    }
  }
});

test('a slow reader gets the whole JSON report through the pipe', async () => {
  const child = spawn(process.execPath, [cli, 'report', '--format', 'json', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const chunks: Buffer[] = [];
  // Paused mode: one read per turn of the event loop, so envtrace writes far faster than this reads.
  await new Promise<void>((res) => {
    const step = () => {
      const c = child.stdout.read() as Buffer | null;
      if (c) chunks.push(c);
      if (child.stdout.readableEnded) return res();
      setImmediate(step);
    };
    child.stdout.once('end', () => res());
    child.stdout.pause();
    step();
  });
  const code = await new Promise<number | null>((res) => (child.exitCode !== null ? res(child.exitCode) : child.once('exit', res)));
  assert.equal(code, 0, stderr);
  const rep = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Report;
  assert.equal(rep.events.length, EVENTS);
  assert.equal(rep.events[EVENTS - 1].value, String(8000 + EVENTS));
});

test('nodeIo waits for the pipe: at most one chunk beyond the stream\'s buffer is held, whatever the reader does', () => {
  // 64 writes of 1 MB, each awaited; without backpressure they would all sit in the stream (64 MB).
  const script = `
    const { nodeIo } = require(${JSON.stringify(join(repo, 'out', 'server', 'src', 'cli', 'io.js'))});
    const io = nodeIo();
    (async () => {
      const chunk = Buffer.alloc(1 << 20, 120);
      let most = 0;
      for (let i = 0; i < 64; i++) {
        await io.out(chunk);
        most = Math.max(most, process.stdout.writableLength);
      }
      io.err('most buffered ' + most + '\\n');
    })();
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'buffer', maxBuffer: 128 << 20 });
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(r.stdout.length, 64 << 20, 'every byte arrived');
  const most = Number(/most buffered (\d+)/.exec(r.stderr.toString())?.[1]);
  assert.ok(most <= (1 << 20) + (64 << 10), `${most} bytes held at once`);
});
