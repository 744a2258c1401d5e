// The go command itself under trace: `envtrace -- <cmd>` puts a go built with the overlay
// first on PATH, and the report says, per go command, each setting's value and where it came
// from. Real go commands, a real make; GOENV always points to a temp file, never the user's.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { Report, ReportProcess } from '../../server/src/runs/report';
import { envtrace, root } from './cliSupport';

describe('envtrace traces the go command', () => {
  let work: string;
  let app: string;
  let goenv: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'envtrace-gocmd-'));
    app = join(work, 'app');
    cpSync(join(root, 'test', 'fixtures', 'cli', 'app'), app, { recursive: true });
    goenv = join(work, 'goenv');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** Runs envtrace with a go env file holding `file`; returns its stderr and the JSON report. */
  async function run(command: string[], file: string, env: NodeJS.ProcessEnv = {}, cwd = app, flags: string[] = []) {
    writeFileSync(goenv, file);
    const out = join(work, `report-${Date.now()}.json`);
    const r = await envtrace([...flags, '--', ...command], { cwd, env: { GOENV: goenv, GOFLAGS: '', ...env } });
    const rep = await envtrace(['report', '--format', 'json', '--output', out], { cwd });
    assert.equal(rep.code, 0, rep.stderr);
    const text = await envtrace(['report'], { cwd });
    return { ...r, report: JSON.parse(readFileSync(out, 'utf8')) as Report, text: text.stdout };
  }
  const goCommands = (r: Report): ReportProcess[] => r.processes.filter((p) => p.kind === 'go-command');
  const entry = (p: ReportProcess, key: string) => p.goCommand!.config.find((c) => c.key === key)!;

  test('GO111MODULE=off in the go env file: the build ignores go.mod, the trace says so and names the file', async () => {
    const r = await run(['go', 'build', '-o', join(work, 'app.bin'), './...'], 'GO111MODULE=off\n');
    const [go] = goCommands(r.report);
    assert.deepEqual([go.goCommand!.subcommand, go.goCommand!.args], ['build', ['-o', join(work, 'app.bin'), './...']]);
    assert.deepEqual(entry(go, 'GO111MODULE'), { key: 'GO111MODULE', value: 'off', source: 'go env file', file: goenv });
    assert.ok(r.text.includes(`GO111MODULE="off" (go env file ${goenv})`), r.text);
    assert.ok(r.text.includes(`⚠ [GOCMD] GO111MODULE=off (go env file ${goenv}) inside the module ${join(app, 'go.mod')}: go.mod is ignored`), r.text);
    assert.match(r.text, new RegExp(`^\\[GOCMD\\] go build -o \\S+ \\./\\.\\.\\. \\(pid ${go.pid}\\): `, 'm'));
  });

  test('GOFLAGS from the environment, from the go env file, and from both (the environment wins)', async () => {
    const file = await run(['go', 'env', 'GOFLAGS'], 'GOFLAGS=-tags=fromfile\n');
    assert.deepEqual(entry(goCommands(file.report)[0], 'GOFLAGS'), { key: 'GOFLAGS', value: '-tags=fromfile', source: 'go env file', file: goenv });
    const env = await run(['go', 'env', 'GOFLAGS'], '', { GOFLAGS: '-tags=fromenv' });
    assert.deepEqual(entry(goCommands(env.report)[0], 'GOFLAGS'), { key: 'GOFLAGS', value: '-tags=fromenv', source: 'environment' });
    const both = await run(['go', 'env', 'GOFLAGS'], 'GOFLAGS=-tags=fromfile\n', { GOFLAGS: '-tags=fromenv' });
    const go = goCommands(both.report)[0];
    assert.equal(entry(go, 'GOFLAGS').value, '-tags=fromenv');
    assert.equal(entry(go, 'GOFLAGS').source, 'environment');
    assert.deepEqual(go.goCommand!.warnings, [`GOFLAGS from the environment hides GOFLAGS=-tags=fromfile in the go env file ${goenv}`]);
    // What the go command printed is the user's flags plus envtrace's own.
    assert.match(both.stdout, /^-tags=fromenv -overlay=\S+ -count=1\n$/);
  });

  test('a Makefile that exports GOFLAGS and runs go vet: the GOFLAGS is set by make', async () => {
    const dir = join(work, 'mk');
    cpSync(app, dir, { recursive: true });
    cpSync(join(root, 'test', 'fixtures', 'gocmd', 'Makefile'), join(dir, 'Makefile'));
    const r = await run(['make', '-s'], '', {}, dir);
    assert.equal(r.code, 0, r.stderr);
    const [go] = goCommands(r.report);
    const flags = entry(go, 'GOFLAGS');
    assert.deepEqual([flags.value, flags.source], ['-tags=viamake', 'environment']);
    assert.match(flags.setBy!, /^make \(pid \d+\)$/);
    assert.ok(go.goCommand!.warnings.some((w) => w.startsWith(`GOFLAGS injected by ${flags.setBy}: it replaces envtrace's -overlay`)), go.goCommand!.warnings.join('\n'));
    assert.ok(r.text.includes(`GOFLAGS="-tags=viamake" (environment, set by ${flags.setBy})`), r.text);
  });

  test('a Makefile that exports GOFLAGS and runs go test: the go test command is traced, its GOFLAGS set by make', async () => {
    const dir = join(work, 'mk-test');
    cpSync(app, dir, { recursive: true });
    cpSync(join(root, 'test', 'fixtures', 'gocmd', 'Makefile'), join(dir, 'Makefile'));
    const r = await run(['make', '-s', 'gotest'], '', {}, dir);
    assert.equal(r.code, 0, r.stderr);
    const [go] = goCommands(r.report);
    assert.deepEqual([go.goCommand!.subcommand, go.goCommand!.args], ['test', ['.']]);
    const flags = entry(go, 'GOFLAGS');
    assert.deepEqual([flags.value, flags.source], ['-tags=viamake', 'environment']);
    assert.match(flags.setBy!, /^make \(pid \d+\)$/);
    assert.ok(r.text.includes(`[GOCMD] go test . (pid ${go.pid}): `), r.text);
  });

  test('GOOS=windows: a cross build, flagged', async () => {
    const dir = join(work, 'cross');
    cpSync(join(root, 'test', 'fixtures', 'gocmd', 'gochild'), dir, { recursive: true });
    const r = await run(['go', 'build', '-o', join(work, 'app.exe'), '.'], '', { GOOS: 'windows' }, dir);
    assert.equal(r.code, 0, r.stderr);
    const [go] = goCommands(r.report);
    assert.deepEqual(entry(go, 'GOOS'), { key: 'GOOS', value: 'windows', source: 'environment' });
    assert.ok(go.goCommand!.warnings.some((w) => w.startsWith('cross build for windows/')), go.goCommand!.warnings.join('\n'));
    assert.ok(r.text.includes('⚠ [GOCMD] cross build for windows/'), r.text);
  });

  test('a traced Go program that runs go env: the go command is traced, its GOFLAGS set at the program\'s os.Setenv', async () => {
    const dir = join(work, 'gochild');
    cpSync(join(root, 'test', 'fixtures', 'gocmd', 'gochild'), dir, { recursive: true });
    const r = await run(['go', 'run', '.'], '', {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '-tags=fromprogram\n');
    const [outer, inner] = goCommands(r.report);
    assert.equal(outer.goCommand!.subcommand, 'run');
    assert.deepEqual([inner.goCommand!.subcommand, inner.goCommand!.args], ['env', ['GOFLAGS']]);
    const program = r.report.processes.find((p) => p.kind === undefined)!;
    assert.equal(program.parent, outer.pid);
    assert.equal(inner.parent, program.pid);
    const flags = entry(inner, 'GOFLAGS');
    assert.deepEqual(flags.setAt, { pid: program.pid, file: join(dir, 'main.go'), line: 11 });
    assert.equal(r.report.counts.processes, 1, 'the program only: go commands are counted apart');
    assert.match(r.text, /\(.*1 process\) · 2 go commands$/m);
  });

  test('a script that switches GOTOOLCHAIN: the switch is flagged and the switched-to go is said to be untraced', async () => {
    const versions = readFileSync(join(root, 'test', 'fixtures', 'go', 'toolchains.txt'), 'utf8').split('\n').filter(Boolean);
    const v = versions[versions.length - 1];
    const script = join(work, 'switch.sh');
    writeFileSync(script, `#!/bin/sh\nexport GOTOOLCHAIN=go${v}\nexec go env GOVERSION\n`, { mode: 0o755 });
    const r = await run([script], '');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `go${v}\n`);
    const [go] = goCommands(r.report);
    assert.deepEqual(entry(go, 'GOTOOLCHAIN'), { key: 'GOTOOLCHAIN', value: `go${v}`, source: 'environment' });
    const w = go.goCommand!.warnings;
    assert.ok(w.includes(`GOTOOLCHAIN=go${v} (environment) selects another toolchain`), w.join('\n'));
    assert.ok(w.some((x) => x.startsWith('switched toolchain: ran ') && x.includes(`go${v}`) && x.endsWith('which envtrace did not trace')), w.join('\n'));
  });

  test('--no-go-command: the real go runs, only the programs are traced', async () => {
    const r = await run(['go', 'run', '.'], '', {}, app, ['--no-go-command']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(goCommands(r.report), []);
    assert.equal(r.report.processes.length, 1);
  });

  test('a GOROOT without cmd/go source: one warning, the real go runs and the program is traced as before', async () => {
    const real = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const fake = join(work, 'goroot');
    mkdirSync(join(fake, 'src'), { recursive: true });
    for (const e of readdirSync(real)) if (e !== 'src') symlinkSync(join(real, e), join(fake, e));
    for (const e of readdirSync(join(real, 'src'))) if (e !== 'cmd') symlinkSync(join(real, 'src', e), join(fake, 'src', e));
    const env = { GOROOT: fake, PATH: `${join(fake, 'bin')}:${process.env.PATH}`, XDG_CACHE_HOME: join(work, 'cache') };
    for (const attempt of [1, 2]) {
      const r = await run(['go', 'run', '.'], '', env);
      assert.equal(r.code, 0, r.stderr);
      const warnings = r.stderr.split('\n').filter((l) => l.includes('the go command itself is not traced'));
      assert.equal(warnings.length, 1, r.stderr);
      assert.ok(warnings[0].includes(`${fake} has no source of cmd/go`), warnings[0]);
      if (attempt === 2) assert.ok(warnings[0].includes('remembered'), warnings[0]);
      assert.doesNotMatch(r.stderr, /building a traced go command/);
      assert.deepEqual(goCommands(r.report), []);
      assert.ok(r.report.events.some((e) => e.key === 'APP_MODE'), 'the program is traced');
    }
  });
});
