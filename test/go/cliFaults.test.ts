// The real CLI when the store is hostile or broken: modes under any umask, symlinks planted
// by a clone, a store it cannot write, and envtrace killed with SIGKILL mid-run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { allFiles, envtrace, root, waitForFile } from './cliSupport';

describe('envtrace CLI: permissions and faults', () => {
  let work: string;
  let app: string;
  let n = 0;
  /** A fresh directory to use as --dir. */
  const fresh = () => {
    const d = join(work, `store${n++}`);
    mkdirSync(d);
    return d;
  };

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'envtrace-faults-'));
    app = join(work, 'app');
    cpSync(join(root, 'test', 'fixtures', 'cli', 'app'), app, { recursive: true });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const umask of ['000', '022']) {
    test(`umask ${umask}: .envtrace and its directories are 0700, every file 0600`, async () => {
      const store = fresh();
      const r = await envtrace(['--dir', store, '--quiet', '--', 'go', 'run', '.'], { cwd: app, umask, env: { APP_MODE: 'child' } });
      assert.equal(r.code, 0, r.stderr);
      const dot = join(store, '.envtrace');
      const entries = [dot, ...readdirSync(dot, { recursive: true }).map((e) => join(dot, String(e)))];
      assert.ok(entries.filter((e) => e.endsWith('.jsonl')).length >= 2, entries.join('\n'));
      for (const e of entries) {
        const st = lstatSync(e);
        assert.equal(st.mode & 0o777, st.isDirectory() ? 0o700 : 0o600, e);
      }
    });
  }

  test('a symlinked key: refused in one line, rc 2, the target untouched', async () => {
    const store = fresh();
    const target = join(work, 'bashrc');
    writeFileSync(target, 'export PS1=x\n');
    chmodSync(target, 0o644);
    mkdirSync(join(store, '.envtrace'));
    symlinkSync(target, join(store, '.envtrace', 'key'));
    const r = await envtrace(['--dir', store, '--', 'go', 'run', '.'], { cwd: app });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `envtrace: ${join(store, '.envtrace', 'key')} is a symlink; envtrace does not write through links (a cloned repository could aim it anywhere): remove it\n`);
    assert.equal(readFileSync(target, 'utf8'), 'export PS1=x\n');
    assert.equal(statSync(target).mode & 0o777, 0o644);
  });

  test('a dangling .gitignore symlink and a runs symlink: refused, nothing written outside (run and env)', async () => {
    const outside = join(work, 'outside');
    mkdirSync(outside);
    const a = fresh();
    mkdirSync(join(a, '.envtrace'));
    symlinkSync(join(outside, 'made-by-envtrace'), join(a, '.envtrace', '.gitignore'));
    const b = fresh();
    mkdirSync(join(b, '.envtrace'));
    symlinkSync(outside, join(b, '.envtrace', 'runs'));
    for (const [store, what] of [[a, '.gitignore'], [b, 'runs']]) {
      for (const args of [['--dir', store, '--', 'go', 'run', '.'], ['env', '--dir', store]]) {
        const r = await envtrace(args, { cwd: app });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, new RegExp(`^envtrace: \\S+/\\.envtrace/${what.replace('.', '\\.')} is a symlink; .*: remove it\\n$`));
        assert.equal(r.stdout, '');
      }
    }
    assert.deepEqual(readdirSync(outside), []);
  });

  test('a store envtrace cannot write: one line and rc 2 for run and env, no stack trace', async () => {
    const store = fresh();
    // The first run creates the store; then runs/ is made unwritable.
    assert.equal((await envtrace(['--dir', store, '--quiet', '--', 'true'], { cwd: app })).code, 0);
    const runs = join(store, '.envtrace', 'runs');
    const how = makeReadOnly(runs);
    try {
      for (const args of [['--dir', store, '--', 'go', 'run', '.'], ['env', '--dir', store]]) {
        const r = await envtrace(args, { cwd: app });
        assert.equal(r.code, 2, `${how}: ${r.stderr}`);
        assert.match(r.stderr, /^envtrace: cannot create directory \S+\/\.envtrace\/runs\/[\w-]+: (permission denied|read-only file system)\n$/, how);
      }
    } finally {
      undoReadOnly(runs, how);
    }
    // runs/ as a file: the same kind of message.
    rmSync(runs, { recursive: true });
    writeFileSync(runs, '');
    const r = await envtrace(['--dir', store, '--', 'true'], { cwd: app });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `envtrace: ${runs} is not a directory: remove it or choose another --dir\n`);
    assert.deepEqual(allFiles(join(store, '.envtrace')).sort(), [join(store, '.envtrace', '.gitignore'), join(store, '.envtrace', 'key'), runs].sort());
  });

  test('--output through a symlink a clone planted replaces the link, not its target; a device is written as is', async () => {
    const store = fresh();
    assert.equal((await envtrace(['--dir', store, '--quiet', '--', 'go', 'run', '.'], { cwd: app })).code, 0);
    const victim = join(work, 'victim-rc');
    writeFileSync(victim, 'keep me\n');
    const out = join(store, 'report.json');
    symlinkSync(victim, out);
    const r = await envtrace(['report', '--dir', store, '--format', 'json', '--output', out], { cwd: app });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
    assert.ok(lstatSync(out).isFile());
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).version, 1);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const dev = await envtrace(['report', '--dir', store, '--output', '/dev/null'], { cwd: app });
    assert.equal(dev.code, 0, dev.stderr);
  });

  test('a stop as soon as the run is on disk (before or after its command started) ends it stored, with the signal\'s status', async () => {
    // 0 ms: the signal lands while envtrace sets the run up; 5–20 ms: around the start of the
    // command, where a signal queued during synchronous set-up work was once dropped.
    for (const delay of [0, 0, 5, 5, 10, 10, 20, 20]) {
      const store = fresh();
      const runs = join(store, '.envtrace', 'runs');
      let pid = 0;
      const running = envtrace(['--dir', store, '--quiet', '--', 'sleep', '300'], { cwd: app, onStart: (p) => (pid = p) });
      while (!(existsSync(runs) && readdirSync(runs).length)) await new Promise((res) => setTimeout(res, 1));
      await new Promise((res) => setTimeout(res, delay));
      process.kill(pid, 'SIGTERM');
      // A lost signal leaves `sleep 300` running: fail (and clean up) instead of waiting for it.
      const lost = setTimeout(() => execFileSync('pkill', ['-KILL', '-f', '--', `--dir ${store} `]), 20_000);
      const r = await running;
      clearTimeout(lost);
      assert.equal(r.code, 143, `delay ${delay} ms: ${r.stderr}`);
      const info = JSON.parse(readFileSync(join(runs, readdirSync(runs)[0], 'run.json'), 'utf8')) as { end: string | null; exitCode: number };
      assert.ok(info.end, 'run.json has an end');
      assert.equal(info.exitCode, 143);
    }
  });

  // Without its guard (killed too, or where the command shares the terminal's process group),
  // the recorder's watch of envtrace's FIFO still ends the program, and go run with it.
  for (const guardToo of [false, true]) {
    test(`kill -9 of envtrace${guardToo ? ' and its guard' : ''}: the program and go run die, the run is listed and reported as interrupted`, async () => {
      const store = fresh();
      const ready = join(work, `sleeping-${guardToo}`);
      let envtracePid = 0;
      const running = envtrace(['--dir', store, '--quiet', '--', 'go', 'run', '.'], { cwd: app, env: { APP_MODE: 'sleep', APP_READY: ready }, onStart: (p) => (envtracePid = p) });
      await waitForFile(ready);
      const program = Number(readFileSync(ready, 'utf8'));
      const goRun = parentOf(program);
      assert.ok(alive(program) && alive(goRun), 'running before the kill');
      const guard = childrenOf(envtracePid).find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('envtrace-guard'));
      assert.ok(guard, 'the guard runs beside envtrace');
      if (guardToo) process.kill(guard, 'SIGKILL');
      process.kill(envtracePid, 'SIGKILL');
      await until(() => !alive(program) && !alive(goRun), 60_000);
      await running; // resolves once every holder of envtrace's stdout (the program too) is gone

      const list = await envtrace(['runs', '--dir', store], { cwd: app });
      assert.match(list.stdout, /^\S+ +\S+ \S+ +interrupted +2 +go run \.$/m, list.stdout);
      const json = JSON.parse((await envtrace(['runs', '--json', '--dir', store], { cwd: app })).stdout) as { state: string; end: null }[];
      assert.deepEqual([json[0].state, json[0].end], ['interrupted', null]);
      const rep = await envtrace(['report', '--dir', store], { cwd: app });
      assert.equal(rep.code, 0, rep.stderr);
      assert.match(rep.stdout, /os\.Getenv\("APP_SLEEPING"\)/);
      assert.match(rep.stdout, /^envtrace: warning: run interrupted \(the envtrace recording it ended without finishing it\): showing what it recorded$/m);
    });
  }
});

/** The children of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => {
      try {
        return parentOf(p) === pid;
      } catch {
        return false;
      }
    });
}

/** The parent pid of `pid`, from /proc. */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** True while `pid` runs (a zombie, dead but not yet reaped, counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until `cond` holds, looking again every 100 ms; fails after `limit` ms (a bound on a hang, not a speed check). */
async function until(cond: () => boolean, limit: number): Promise<void> {
  const deadline = Date.now() + limit;
  while (!cond()) {
    assert.ok(Date.now() < deadline, 'condition not reached');
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * Makes `dir` refuse new entries. chmod does not stop root, so as root the directory is made
 * immutable (chattr +i, ext4/xfs/btrfs) or, failing that, a read-only bind mount of itself.
 * Returns what was used.
 */
function makeReadOnly(dir: string): string {
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o500);
    return 'chmod 500';
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'pipe' });
    return 'chattr +i';
  } catch {
    execFileSync('mount', ['--bind', dir, dir], { stdio: 'pipe' });
    execFileSync('mount', ['-o', 'remount,bind,ro', dir], { stdio: 'pipe' });
    return 'ro bind mount';
  }
}

function undoReadOnly(dir: string, how: string): void {
  if (how === 'chmod 500') chmodSync(dir, 0o700);
  else if (how === 'chattr +i') execFileSync('chattr', ['-i', dir]);
  else execFileSync('umount', [dir]);
}
