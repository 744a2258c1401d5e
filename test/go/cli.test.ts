// The envtrace CLI for real: `node dist/cli.js -- go run .` on a small fixture program,
// with the real Go toolchain and the real overlay. One copy of the fixture is shared.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../server/src/runs/report';
import { allFiles, envtrace, root, waitForFile } from './cliSupport';

const SECRET = 'hunter2-very-secret-value';

describe('envtrace CLI on a real Go program', () => {
  let work: string;
  let app: string;
  let store: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'envtrace-cli-'));
    app = join(work, 'app');
    store = join(work, 'store');
    cpSync(join(root, 'test', 'fixtures', 'cli', 'app'), app, { recursive: true });
    mkdirSync(store);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('go run: text trace on stderr, summary, run.json, .gitignore, key 0600, no secret on disk', async () => {
    const r = await envtrace(['--dir', store, '--label', 'first', '--', 'go', 'run', '.'], {
      cwd: app,
      env: { DATABASE_URL: 'postgres://app@db/shop', DB_PASSWORD: SECRET, REGION: '' },
    });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split('\n');
    assert.ok(lines.includes('[GETENV] main.go:17 → os.Getenv("DATABASE_URL") → value="postgres://app@db/shop" (×3)'), r.stderr);
    assert.ok(lines.includes('[LOOKUP] main.go:19 → os.LookupEnv("REGION") → value="" (×1)'), r.stderr);
    assert.ok(lines.some((l) => /^\[GETENV\] main\.go:22 → os\.Getenv\("DB_PASSWORD"\) → redacted \(25 bytes, hash [0-9a-f]+\) \(×1\)$/.test(l)), r.stderr);
    assert.ok(lines.includes('[SETENV] main.go:23 → os.Setenv("APP_STAGE", …) → value="test" (×1)'), r.stderr);
    assert.match(r.stderr, /envtrace: \d+ keys read · \d+ unset · 0 races \(\d+ reads, \d+ unset; 1 write; 1 process\)/);
    assert.match(r.stderr, /envtrace: run \S+ stored in .*store\/\.envtrace\/runs\//);
    assert.doesNotMatch(r.stderr + r.stdout, new RegExp(SECRET));

    const envtraceDir = join(store, '.envtrace');
    assert.equal(readFileSync(join(envtraceDir, '.gitignore'), 'utf8'), '*\n');
    assert.equal(statSync(join(envtraceDir, 'key')).mode & 0o777, 0o600);
    const [id] = readdirSync(join(envtraceDir, 'runs'));
    const info = JSON.parse(readFileSync(join(envtraceDir, 'runs', id, 'run.json'), 'utf8'));
    assert.equal(info.id, id);
    assert.equal(info.label, 'first');
    assert.deepEqual(info.command, ['go', 'run', '.']);
    assert.equal(info.cwd, app);
    assert.equal(info.exitCode, 0);
    assert.match(info.goVersion, /^go1\.\d+/);
    assert.ok(info.goos && info.goarch && info.start && info.end);
    const key = readFileSync(join(envtraceDir, 'key'), 'utf8').trim();
    for (const f of allFiles(join(envtraceDir, 'runs'))) {
      const text = readFileSync(f, 'utf8');
      assert.ok(!text.includes(SECRET), `${f} holds the secret`);
      assert.ok(!text.includes(key), `${f} holds the hash key`);
    }
  });

  test('--format=json --output FILE writes the report; report/runs render stored runs', async () => {
    const out = join(work, 'report.json');
    const r = await envtrace(['--dir', store, '--format=json', `--output=${out}`, '--', 'go', 'run', '.'], { cwd: app, env: { APP_MODE: 'child' } });
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as Report;
    assert.equal(rep.version, 1);
    assert.equal(rep.exitCode, 0);
    assert.deepEqual(rep.command, ['go', 'run', '.']);
    // The traced go command (kind go-command) started the program, which started its child.
    assert.equal(rep.processes.length, 3);
    const [go, parent, child] = rep.processes;
    assert.equal(go.kind, 'go-command');
    assert.equal(child.parent, parent.pid);
    assert.equal(parent.parent, go.pid);
    const read = rep.events.find((e) => e.key === 'APP_MODE' && e.pid === parent.pid)!;
    assert.equal(read.op, 'getenv');
    assert.equal(read.api, 'os.Getenv');
    assert.equal(read.found, true);
    assert.equal(read.value, 'child');
    assert.equal(read.file, join(app, 'main.go'));
    assert.equal(read.line, 15);
    assert.equal(read.function, 'main.main');
    assert.ok(rep.stacks[read.stack!].some((f) => f.function === 'main.main'));
    const spawnEv = rep.events.find((e) => e.op === 'spawn')!;
    assert.equal(spawnEv.childPid, child.pid);
    // The child's filtered cmd.Env still carried the tracer settings.
    assert.ok(rep.events.some((e) => e.pid === child.pid && e.key === 'APP_CHILD' && e.value === '1'));
    const mode = rep.vars.find((v) => v.key === 'APP_MODE')!;
    assert.deepEqual(mode.values, [{ value: 'child', length: 5, count: 2 }]);
    assert.equal(mode.race, null);
    const seqs = rep.events.filter((e) => e.pid === parent.pid).map((e) => e.seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1));

    const runs = await envtrace(['runs', '--dir', store], { cwd: app });
    assert.equal(runs.code, 0);
    const ids = runs.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], rep.id);

    const again = await envtrace(['report', '--dir', store], { cwd: app });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /\[GETENV\] main\.go:29 → os\.Getenv\("APP_CHILD"\) → value="1" \(×1\)/);
    const byPath = await envtrace(['report', '--format', 'json', rep.runDir], { cwd: work });
    assert.equal((JSON.parse(byPath.stdout) as Report).id, rep.id);
    const older = await envtrace(['report', '--dir', store, '--quiet', ids[1]], { cwd: app });
    assert.match(older.stdout, /^envtrace: \d+ keys read/);
  });

  test('--redact adds key patterns, --no-redact stores values in clear, --stack limits frames; bad patterns are refused', async () => {
    const out = join(work, 'redact.json');
    const r = await envtrace(['--dir', store, '--redact', '^app_mode$', '--stack=1', '--format', 'json', '--output', out, '--', 'go', 'run', '.'], {
      cwd: app,
      env: { APP_MODE: 'plain-but-private' },
    });
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const mode = rep.events.find((e) => e.key === 'APP_MODE')!;
    assert.equal(mode.redacted, true);
    assert.equal(mode.length, 'plain-but-private'.length);
    assert.ok(!readFileSync(out, 'utf8').includes('plain-but-private'));
    assert.equal(rep.stacks[mode.stack!].length, 1);

    const clear = await envtrace(['--dir', store, '--no-redact', '--', 'go', 'run', '.'], { cwd: app, env: { DB_PASSWORD: SECRET } });
    assert.match(clear.stderr, new RegExp(`os\\.Getenv\\("DB_PASSWORD"\\) → value="${SECRET}"`));

    const bad = await envtrace(['--dir', store, '--redact', '(TOKEN)', '--', 'go', 'run', '.'], { cwd: app });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^envtrace: --redact "\(TOKEN\)": /);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });

  test('-trimpath builds map back to absolute files through go.mod', async () => {
    const out = join(work, 'trim.json');
    const r = await envtrace(['--dir', store, '--format=json', `--output=${out}`, '--', 'go', 'run', '-trimpath', '.'], { cwd: app });
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const read = rep.events.find((e) => e.key === 'APP_MODE')!;
    assert.equal(read.file, join(app, 'main.go'));
    const frames = rep.stacks[read.stack!];
    assert.ok(frames.every((f) => f.file.startsWith('/')), JSON.stringify(frames));
  });

  test('exit status and stdin pass through; a binary built under envtrace is traced', async () => {
    const bin = join(work, 'app-bin');
    const r = await envtrace(['--dir', store, '--quiet', '--', 'sh', '-c', `go build -o ${bin} . && ${bin}`], { cwd: app, env: { APP_EXIT: '7', APP_MODE: 'stdin' }, input: 'hello\n' });
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stdout, /got "hello\\n"/);
    assert.match(r.stderr, /; 1 process\)/);
    assert.doesNotMatch(r.stderr, /\[GETENV\]/);
  });

  test('SIGTERM to envtrace reaches the program beneath go run', async () => {
    const ready = join(work, 'ready');
    let pid = 0;
    const running = envtrace(['--dir', store, '--quiet', '--', 'go', 'run', '.'], { cwd: app, env: { APP_MODE: 'term', APP_READY: ready }, onStart: (p) => (pid = p) });
    await waitForFile(ready);
    process.kill(pid, 'SIGTERM');
    const r = await running;
    assert.match(r.stdout, /got SIGTERM/);
    assert.match(r.stderr, /exit status 42/);
    assert.equal(r.code, 1); // go run turns the program's 42 into 1
  });

  test('env registers a run that report collects after a build run by hand; --keep prunes', async () => {
    const envStore = join(work, 'envstore');
    mkdirSync(envStore);
    const e = await envtrace(['env', '--dir', envStore, '--keep', '2'], { cwd: app });
    assert.equal(e.code, 0, e.stderr);
    const exports = Object.fromEntries(
      [...e.stdout.matchAll(/^export (\w+)=('(?:[^']|'\\'')*'|\S+)$/gm)].map((m) => [m[1], m[2].startsWith("'") ? m[2].slice(1, -1).replace(/'\\''/g, "'") : m[2]]),
    );
    assert.match(exports.GOFLAGS, /-overlay=\S+/);
    assert.ok(exports.ENVTRACE_DIR.startsWith(join(envStore, '.envtrace', 'runs')));
    assert.ok(exports.ENVTRACE_RUN && exports.ENVTRACE_KEY);
    const id = exports.ENVTRACE_RUN;
    await new Promise<void>((res, rej) => {
      const p = spawn('go', ['run', '.'], { cwd: app, env: { ...process.env, ...exports, APP_MODE: 'by-hand' }, stdio: 'ignore' });
      p.on('error', rej);
      p.on('close', (c) => (c === 0 ? res() : rej(new Error(`go run exited ${c}`))));
    });
    const rep = await envtrace(['report', '--dir', envStore, id], { cwd: app });
    assert.equal(rep.code, 0, rep.stderr);
    assert.match(rep.stdout, /os\.Getenv\("APP_MODE"\) → value="by-hand"/);

    await envtrace(['env', '--dir', envStore, '--keep', '2'], { cwd: app });
    await envtrace(['env', '--dir', envStore, '--keep', '2'], { cwd: app });
    const left = readdirSync(join(envStore, '.envtrace', 'runs'));
    assert.equal(left.length, 2);
    assert.ok(!left.includes(id));
  });

  test('a racy program is flagged, a properly ordered one is not', async () => {
    const race = join(work, 'race');
    cpSync(join(root, 'test', 'fixtures', 'cli', 'race'), race, { recursive: true });
    const racy = await envtrace(['--dir', store, '--', 'go', 'run', './racy'], { cwd: race });
    assert.equal(racy.code, 0, racy.stderr);
    assert.match(racy.stderr, /^⚠ \[RACE\] (likely|definite) race on APP_STAGE: written by goroutine \d+ at racy\/main\.go:21 \(os\.Setenv\), read by goroutine \d+ at racy\/main\.go:28 \(os\.Getenv\)$/m);
    assert.match(racy.stderr, / · 1 race \(/);
    const ordered = await envtrace(['--dir', store, '--', 'go', 'run', './ordered'], { cwd: race });
    assert.equal(ordered.code, 0, ordered.stderr);
    assert.doesNotMatch(ordered.stderr, /\[RACE\]/);
    assert.match(ordered.stderr, / · 0 races \(/);
  });

  test('--race adds -race and the precise mode: the race detector reports the env race', async () => {
    const race = join(work, 'race-wild');
    cpSync(join(root, 'test', 'fixtures', 'cli', 'race'), race, { recursive: true });
    const r = await envtrace(['--dir', store, '--race', '--quiet', '--', 'go', 'run', './wild'], { cwd: race });
    assert.match(r.stderr, /WARNING: DATA RACE/);
    assert.match(r.stderr, /os\.Setenv\(\)/);
    assert.match(r.stderr, /os\.Getenv\(\)/);
    assert.equal(r.code, 1); // go run reports the race detector's exit status 66 as 1
  });

  test('doctor verifies the overlay by compiling with it', async () => {
    const r = await envtrace(['doctor'], { cwd: app });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ok {3}go: \S+ \(go1\.\d+/m);
    assert.match(r.stdout, /^ok {3}GOROOT: /m);
    assert.match(r.stdout, /^ok {3}overlay compiles: syscall, os, os\/exec, time/m);
  });

  test('bad input is one line and exit 2: unknown run, corrupt run.json, no go binary', async () => {
    const none = await envtrace(['report', '--dir', store, 'no-such-run'], { cwd: app });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^envtrace: no run "no-such-run"/);
    assert.equal(none.stderr.trim().split('\n').length, 1);

    for (const args of [['report', '--dir', '/nonexistent'], ['runs', '--dir=/nonexistent'], ['--dir', '/nonexistent', '--', 'true']]) {
      const r = await envtrace(args, { cwd: app });
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr, 'envtrace: --dir /nonexistent: no such directory\n');
    }

    const broken = join(work, 'broken');
    cpSync(join(root, 'test', 'fixtures', 'runs', 'basic'), broken, { recursive: true });
    writeFileSync(join(broken, 'run.json'), '{"id": ');
    const corrupt = await envtrace(['report', broken], { cwd: work });
    assert.equal(corrupt.code, 2);
    assert.equal(corrupt.stderr, `envtrace: ${join(broken, 'run.json')} is corrupt (not JSON)\n`);

    const noGo = await envtrace(['--dir', store, '--', 'true'], { cwd: app, env: { PATH: '/nonexistent' } });
    assert.equal(noGo.code, 2);
    assert.match(noGo.stderr, /^envtrace: "go" not found on PATH/);
    assert.equal(noGo.stderr.trim().split('\n').length, 1);
  });
});
