// `envtrace build` for real: the fixture built with the recorder compiled in, then run as it
// would be in a container: inert without ENVTRACE_DIR, recording with it (children, where, the
// key file or a mounted key), read back by `envtrace report`; hostile ENVTRACE_DIR values.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../server/src/runs/report';
import { sipHashHex } from '../../server/src/tracer/siphash';
import { envtrace, root } from './cliSupport';
import { assertWellFormed, fixture, HASH_KEY, readRun, traced, type ProcFile } from './recorderSupport';

const SECRET = 'pw-Shipped-8f2c71d0';
/** What the program's environment must not hold for these tests (the machine's own settings). */
const NOT_INHERITED = /^(ENVTRACE_|OTEL_|KUBERNETES_|POD_|K8S_)/;

describe('envtrace build: a traced binary that ships', () => {
  let work: string;
  let app: string;
  let bin: string;

  /** Runs the built binary in `cwd` with a clean environment plus `env`; TMPDIR and HOME are fresh. */
  function runBin(cwd: string, env: NodeJS.ProcessEnv = {}) {
    const base: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!NOT_INHERITED.test(k)) base[k] = v;
    const tmp = mkdtempSync(join(work, 'tmp-'));
    const home = mkdtempSync(join(work, 'home-'));
    const r = spawnSync(bin, [], { cwd, env: { ...base, TMPDIR: tmp, HOME: home, SHIP_PORT: '8080', DB_PASSWORD: SECRET, ...env }, encoding: 'utf8' });
    return { ...r, tmp, home };
  }
  const emptyDir = (name: string): string => {
    const d = join(work, name);
    mkdirSync(d);
    return d;
  };
  const secretRead = (f: ProcFile) => f.events.find((e) => e.op === 'getenv' && e.k === 'DB_PASSWORD')!;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'envtrace-build-'));
    app = join(work, 'app');
    cpSync(fixture('shipped'), app, { recursive: true });
    bin = join(work, 'bin', 'shipped');
    const r = await envtrace(['build', '-o', bin, '.'], { cwd: app, env: { GOFLAGS: '-trimpath' } });
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('without -o the binary gets go build\'s name; build errors keep go build\'s status', async () => {
    const r = await envtrace(['build'], { cwd: app });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(statSync(join(app, 'shipped')).isFile(), 'named after the module, in the current directory');
    const bad = await envtrace(['build', './no-such-package'], { cwd: app });
    assert.equal(bad.code, 1, 'go build\'s own exit status');
    assert.match(bad.stderr, /no-such-package/);
  });

  test('a -overlay of the user\'s (on the command line) is merged with the recorder\'s', async () => {
    const alt = join(work, 'alt-main.go');
    writeFileSync(alt, readFileSync(join(app, 'main.go'), 'utf8').replace('fmt.Println("port"', 'fmt.Println("overlaid port"'));
    const overlayFile = join(work, 'user-overlay.json');
    writeFileSync(overlayFile, JSON.stringify({ Replace: { [join(app, 'main.go')]: alt } }));
    const out = join(work, 'bin', 'overlaid');
    const r = await envtrace(['build', '-overlay', overlayFile, '-o', out, '.'], { cwd: app });
    assert.equal(r.code, 0, r.stderr);
    const dir = emptyDir('runs-overlaid');
    const run = spawnSync(out, [], { env: { PATH: process.env.PATH, ENVTRACE_DIR: dir, SHIP_CHILD: '1' }, encoding: 'utf8' });
    assert.match(run.stdout, /^overlaid port /, 'the user\'s replacement is built');
    assert.equal(readRun(dir).length, 1, 'and the recorder too');
  });

  test('without ENVTRACE_DIR (or with it empty) the binary writes nothing anywhere', () => {
    for (const env of [{}, { ENVTRACE_DIR: '' }]) {
      const cwd = mkdtempSync(join(work, 'cwd-'));
      const r = runBin(cwd, env);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'port 8080 secret bytes 19 child \nport  secret bytes 19 child 1\n');
      for (const d of [cwd, r.tmp, r.home]) assert.deepEqual(readdirSync(d), [], `${d} stays empty`);
    }
  });

  test('with ENVTRACE_DIR: one file per process, children included, where, a key file made once', () => {
    const dir = emptyDir('runs-a');
    const r = runBin(emptyDir('cwd-a'), { ENVTRACE_DIR: dir });
    assert.equal(r.status, 0, r.stderr);
    const files = readRun(dir);
    assert.equal(files.length, 2, 'the program and its child');
    files.forEach(assertWellFormed);
    const parent = files.find((f) => f.proc.parent === 0)!;
    const child = files.find((f) => f.proc.parent !== 0)!;
    assert.equal(child.proc.parent, parent.proc.pid);
    for (const f of files) assert.deepEqual(f.proc.where, { host: hostname(), service: 'example.com/shipped' });
    assert.equal(parent.events.find((e) => e.k === 'SHIP_PORT')!.v, '8080');

    const keyFile = join(dir, 'key');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const key = readFileSync(keyFile, 'utf8');
    assert.match(key, /^[0-9a-f]{32}\n$/);
    // Redaction in the process with the directory's key: the same hash in both processes.
    for (const f of files) assert.equal(secretRead(f).h, sipHashHex(key.trim(), SECRET));
    for (const name of readdirSync(dir)) assert.ok(!readFileSync(join(dir, name), 'latin1').includes(SECRET), `${name} holds the secret`);

    const inode = statSync(keyFile).ino;
    assert.equal(runBin(emptyDir('cwd-b'), { ENVTRACE_DIR: dir }).status, 0);
    assert.equal(readRun(dir).length, 4);
    assert.equal(statSync(keyFile).ino, inode, 'the key file is made once');
    assert.equal(readFileSync(keyFile, 'utf8'), key);
    assert.deepEqual(readdirSync(dir).filter((n) => !n.endsWith('.jsonl')), ['key'], 'no temporary file left');
  });

  test('a relative ENVTRACE_DIR is created and shared by children; OTEL_SERVICE_NAME and Kubernetes settings per process', () => {
    const cwd = emptyDir('cwd-k8s');
    const r = runBin(cwd, { ENVTRACE_DIR: 'trace', OTEL_SERVICE_NAME: 'checkout', KUBERNETES_SERVICE_HOST: '10.0.0.1', POD_NAMESPACE: 'shop' });
    assert.equal(r.status, 0, r.stderr);
    const dir = join(cwd, 'trace');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const files = readRun(dir);
    assert.equal(files.length, 2);
    const parent = files.find((f) => f.proc.parent === 0)!;
    const child = files.find((f) => f.proc.parent !== 0)!;
    assert.deepEqual(parent.proc.where, { host: hostname(), pod: hostname(), namespace: 'shop', service: 'checkout' });
    // The child's filtered environment has none of them: its own where says so.
    assert.deepEqual(child.proc.where, { host: hostname(), service: 'example.com/shipped' });
    const keys = files.flatMap((f) => f.events.map((e) => e.k));
    for (const k of ['OTEL_SERVICE_NAME', 'KUBERNETES_SERVICE_HOST', 'POD_NAME', 'POD_NAMESPACE', 'K8S_POD_NAME', 'K8S_NAMESPACE']) {
      assert.ok(!keys.includes(k), `the recorder's read of ${k} is not an event`);
    }
  });

  test('ENVTRACE_KEY_FILE (a mounted secret, through a symlink as Kubernetes mounts them) is the key; no key file is made', () => {
    const mount = emptyDir('secret-mount');
    writeFileSync(join(mount, 'real-key'), HASH_KEY + '\n', { mode: 0o400 });
    symlinkSync(join(mount, 'real-key'), join(mount, 'key'));
    const dir = emptyDir('runs-keyfile');
    const r = runBin(emptyDir('cwd-keyfile'), { ENVTRACE_DIR: dir, ENVTRACE_KEY_FILE: join(mount, 'key') });
    assert.equal(r.status, 0, r.stderr);
    const files = readRun(dir);
    assert.equal(files.length, 2);
    for (const f of files) assert.equal(secretRead(f).h, sipHashHex(HASH_KEY, SECRET));
    assert.ok(!existsSync(join(dir, 'key')));
    for (const name of readdirSync(dir)) assert.ok(!readFileSync(join(dir, name), 'latin1').includes(HASH_KEY), 'the key is not recorded');
  });

  test('a directory key file others could know (another owner, group/other permissions, a symlink, a FIFO, not a key) is not used: a warning, a key of the process\'s own', () => {
    const planted = '0123456789abcdef0123456789abcdef';
    const cases: [string, (f: string) => void, RegExp][] = [
      ['group-writable', (f) => (writeFileSync(f, planted + '\n'), chmodSync(f, 0o620)), /is open to other users \(mode 620, not 600\)/],
      ['world-readable', (f) => (writeFileSync(f, planted + '\n'), chmodSync(f, 0o644)), /is open to other users \(mode 644, not 600\)/],
      ['a symlink', (f) => (writeFileSync(f + '-target', planted + '\n', { mode: 0o600 }), symlinkSync(f + '-target', f)), /is a symbolic link/],
      ['a FIFO', (f) => spawnSync('mkfifo', ['-m', '600', f]), /is not a regular file/],
      ['not a key', (f) => writeFileSync(f, 'hello\n', { mode: 0o600 }), /does not start with 32 hex digits/],
    ];
    if (process.getuid?.() === 0) cases.push(['owned by another user', (f) => (writeFileSync(f, planted + '\n', { mode: 0o600 }), chownSync(f, 4321, 4321)), /belongs to another user \(uid 4321\)/]);
    for (const [name, plant, why] of cases) {
      const dir = emptyDir(`runs-planted-${name.replace(/\W+/g, '-')}`);
      const keyFile = join(dir, 'key');
      plant(keyFile);
      const r = runBin(emptyDir(`cwd-planted-${name.replace(/\W+/g, '-')}`), { ENVTRACE_DIR: dir });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.equal(r.stdout, 'port 8080 secret bytes 19 child \nport  secret bytes 19 child 1\n', `${name}: the program runs as usual`);
      // One warning per process (the program and its child), naming the file and the reason.
      const warnings = r.stderr.split('\n').filter(Boolean);
      assert.equal(warnings.length, 2, `${name}: ${r.stderr}`);
      for (const w of warnings) {
        assert.ok(w.startsWith(`envtrace: not using ${keyFile} as the redaction key: it `), w);
        assert.match(w, why, name);
        assert.match(w, /a key of its own .* Remove the file, or give a key with ENVTRACE_KEY_FILE$/, name);
      }
      const files = readRun(dir);
      assert.equal(files.length, 2, `${name}: still recorded`);
      const hashes = files.map((f) => secretRead(f).h);
      assert.ok(hashes.every((h) => h !== sipHashHex(planted, SECRET)), `${name}: the planted key was used`);
      assert.notEqual(hashes[0], hashes[1], `${name}: each process hashes under a key of its own`);
      for (const f of files) assert.ok(!JSON.stringify(f).includes(SECRET), `${name}: the secret is redacted`);
    }
  });

  test('envtrace import of the directory redacts clear secrets with its key only when the key is the user\'s alone', async () => {
    const dir = emptyDir('runs-import-key');
    assert.equal(runBin(emptyDir('cwd-import-key-a'), { ENVTRACE_DIR: dir }).status, 0);
    // The same binary with redaction off: its processes record the secret in clear.
    assert.equal(runBin(emptyDir('cwd-import-key-b'), { ENVTRACE_DIR: dir, ENVTRACE_NO_REDACT: '1' }).status, 0);
    const dirHash = sipHashHex(readFileSync(join(dir, 'key'), 'utf8').trim(), SECRET);
    const importAndReport = async (name: string) => {
      const store = emptyDir(name);
      const imp = await envtrace(['import', '--dir', store, '--json', dir], { cwd: work });
      assert.equal(imp.code, 0, imp.stderr);
      const sum = JSON.parse(imp.stdout) as { id: string; redacted: number; notes: string[] };
      const rep = await envtrace(['report', '--dir', store, '--format', 'json', sum.id], { cwd: work });
      assert.equal(rep.code, 0, rep.stderr);
      const everything = imp.stdout + imp.stderr + rep.stdout + readdirSync(join(store, '.envtrace', 'runs', sum.id)).map((f) => readFileSync(join(store, '.envtrace', 'runs', sum.id, f), 'latin1')).join('');
      assert.ok(!everything.includes(SECRET), `${name}: the secret in clear`);
      const values = (JSON.parse(rep.stdout) as Report).vars.find((v) => v.key === 'DB_PASSWORD')!.values;
      return { sum, hashes: values.map((v) => [v.hash, v.count]) };
    };
    const trusted = await importAndReport('store-trusted');
    assert.equal(trusted.sum.redacted, 2, 'the two clear reads redacted on import');
    assert.deepEqual(trusted.hashes, [[dirHash, 4]], 'under the directory\'s key: one value, as the recorder hashed it');
    assert.deepEqual(trusted.sum.notes, []);

    chmodSync(join(dir, 'key'), 0o644);
    const open = await importAndReport('store-open');
    assert.equal(open.hashes.length, 2, 'the workspace key hashes the clear ones: two values');
    assert.deepEqual(open.hashes.find(([h]) => h === dirHash), [dirHash, 2]);
    assert.deepEqual(open.sum.notes, [`${basename(dir)}: its key file, not used (${join(dir, 'key')} is open to other users (mode 644)): values redacted on import are hashed with the workspace key`]);
    const text = await envtrace(['import', '--dir', emptyDir('store-open-text'), dir], { cwd: work });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stderr, /^envtrace: skipped runs-import-key: its key file, not used \(.* is open to other users \(mode 644\)\)/m);
  });

  test('envtrace report reads the directory (text and JSON with where)', async () => {
    const dir = emptyDir('runs-report');
    assert.equal(runBin(emptyDir('cwd-report'), { ENVTRACE_DIR: dir, OTEL_SERVICE_NAME: 'checkout' }).status, 0);
    const text = await envtrace(['report', dir], { cwd: work });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /os\.Getenv\("SHIP_PORT"\) → value="8080"/);
    assert.match(text.stdout, /2 processes/);
    const json = await envtrace(['report', '--format', 'json', dir], { cwd: work });
    assert.equal(json.code, 0, json.stderr);
    const rep = JSON.parse(json.stdout) as Report;
    assert.deepEqual(rep.processes.map((p) => p.where?.service).sort(), ['checkout', 'example.com/shipped']);
    assert.ok(!(text.stdout + json.stdout).includes(SECRET));
  });

  test('hostile ENVTRACE_DIR (a file, beneath a file, unwritable): the program runs as usual and nothing is written', () => {
    const file = join(emptyDir('hostile'), 'not-a-dir');
    writeFileSync(file, 'x');
    for (const [i, dir] of [file, join(file, 'sub'), '/proc', '/proc/envtrace-no-such-dir'].entries()) {
      const r = runBin(emptyDir(`cwd-hostile-${i}`), { ENVTRACE_DIR: dir });
      assert.equal(r.status, 0, `${dir}: ${r.stderr}`);
      assert.equal(r.stdout, 'port 8080 secret bytes 19 child \nport  secret bytes 19 child 1\n', dir);
      assert.equal(r.stderr, '', dir);
    }
    assert.deepEqual(readdirSync(join(work, 'hostile')), ['not-a-dir']);
    assert.equal(readFileSync(file, 'utf8'), 'x');
  });
});

test('traced runs record where too: host and the main module as service', async () => {
  const r = await traced('go', ['run', '.'], { cwd: fixture('hello') });
  assert.equal(r.status, 0, r.stderr);
  const [f] = readRun(r.runDir);
  assert.deepEqual(f.proc.where, { host: hostname(), service: 'example.com/hello' });
  assert.ok(!existsSync(join(r.runDir, 'key')), 'a traced run has its workspace key: no key file');
});

test('the Dockerfile\'s build stage without docker: dist/ alone, copied elsewhere, builds examples/shop with CGO off', async () => {
  const work = mkdtempSync(join(tmpdir(), 'envtrace-stage-'));
  try {
    // As examples/containers/Dockerfile does: dist/ under /opt/envtrace, envtrace a symlink to cli.js.
    const opt = join(work, 'opt', 'envtrace', 'dist');
    cpSync(join(root, 'dist'), opt, { recursive: true });
    mkdirSync(join(work, 'bin'));
    symlinkSync(join(opt, 'cli.js'), join(work, 'bin', 'envtrace'));
    const src = join(work, 'src');
    cpSync(join(root, 'examples', 'shop'), src, { recursive: true });
    const env = { ...process.env, CGO_ENABLED: '0', PATH: `${join(work, 'bin')}:${process.env.PATH}` };
    const b = spawnSync('envtrace', ['build', '-trimpath', '-o', join(work, 'out', 'service'), '.'], { cwd: src, env, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    const runDir = join(work, 'envtrace');
    const r = spawnSync(join(work, 'out', 'service'), [], { cwd: work, env: { PATH: process.env.PATH, ENVTRACE_DIR: runDir, PORT: '9090' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /shop listening on :9090/);
    const [f] = readRun(runDir);
    assert.equal(f.proc.where.service, 'example.com/shop');
    assert.ok(f.events.some((e) => e.k === 'PORT' && e.v === '9090'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
