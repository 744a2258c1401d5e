// `envtrace check` in the language server (issue 14, "In the editor"): over real JSON-RPC on
// copies of test/fixtures/check/breaks, the server's diagnostics are the built CLI's findings
// (dist/cli.js check --format json on the same tree: same rule ids, files and lines), before and
// after each quick fix is applied to the real files, and with suppression comments.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { CheckResult } from '../../server/src/check/check';
import { applyWorkspaceEdit } from './applyEdit';
import { LspClient, removeDir, repoRoot, uriOf } from './lspClient';

/** A copy of the breaks fixture, changed by `prepare`. */
function workspace(prepare: (dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-check-'));
  cpSync(join(repoRoot, 'test', 'fixtures', 'check', 'breaks'), dir, { recursive: true });
  prepare(dir);
  return dir;
}

/** `envtrace check DIR --format json` through the built CLI. */
function cliCheck(dir: string, runs: string[] = []) {
  return spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'check', dir, '--format', 'json', ...(runs.length ? ['--run', ...runs] : [])], { encoding: 'utf8', timeout: 60_000 });
}

/** The CLI's located findings as `rule file:line`, sorted. */
function cliFindings(dir: string, runs: string[]): string[] {
  const r = cliCheck(dir, runs);
  assert.equal(r.stderr, '');
  const result = JSON.parse(r.stdout) as CheckResult;
  return result.findings.filter((f) => f.file !== null && f.line !== null).map((f) => `${f.rule} ${f.file}:${f.line}`).sort();
}

/** A server on `dir`, and what it last published per file. */
class Session {
  readonly client = LspClient.start('server');
  /** `dir`, and the run directories the CLI is given (the runs the server shows). */
  constructor(
    readonly dir: string,
    readonly runs: string[] = [],
  ) {}

  diagnostics(rel: string): Diagnostic[] {
    const all = this.client.received.filter((m) => m.method === 'textDocument/publishDiagnostics').map((m) => m.params as PublishDiagnosticsParams);
    return (all.filter((p) => p.uri === uriOf(join(this.dir, rel))).pop()?.diagnostics ?? []).filter((d) => d.source === 'envtrace check');
  }

  /** The server's check diagnostics as `rule file:line`, sorted. */
  findings(): string[] {
    const prefix = uriOf(this.dir) + '/';
    const uris = new Set(this.client.received.filter((m) => m.method === 'textDocument/publishDiagnostics').map((m) => (m.params as PublishDiagnosticsParams).uri));
    const out: string[] = [];
    for (const uri of uris) {
      const rel = decodeURIComponent(uri.slice(prefix.length));
      for (const d of this.diagnostics(rel)) out.push(`${d.code} ${rel}:${d.range.start.line + 1}`);
    }
    return out.sort();
  }

  /** Waits until `cond` holds, 30 s at most (a test that fails says what it waited for instead of hanging). */
  async until(cond: () => boolean, what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.client.waitFor(cond, what), new Promise((res) => (timer = setTimeout(res, 30_000)))]);
    clearTimeout(timer);
  }

  /** Waits until the server shows what the CLI finds now, then shows the difference if it never does; returns it. */
  async agreesWithCli(what: string): Promise<string[]> {
    const want = cliFindings(this.dir, this.runs);
    await this.until(() => JSON.stringify(this.findings()) === JSON.stringify(want), what);
    assert.deepEqual(this.findings(), want, what);
    return want;
  }

  /** Tells the server files changed on disk. */
  async changed(...rels: string[]): Promise<void> {
    await this.client.notify('workspace/didChangeWatchedFiles', { changes: rels.map((r) => ({ uri: uriOf(join(this.dir, r)), type: existsSync(join(this.dir, r)) ? 2 : 3 })) });
  }

  /** The quick fixes for one diagnostic. */
  async fixes(rel: string, d: Diagnostic): Promise<CodeAction[]> {
    return this.client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uriOf(join(this.dir, rel)) }, range: d.range, context: { diagnostics: [d] } });
  }

  /** The check diagnostic of `rule` (about `key` when given) in a file. */
  find(rel: string, rule: string, key?: string): Diagnostic {
    const d = this.diagnostics(rel).find((x) => x.code === rule && (key === undefined || (x.data as { key?: string }).key === key));
    assert.ok(d, `${rule} ${key ?? ''} in ${rel}: ${JSON.stringify(this.diagnostics(rel))}`);
    return d;
  }

  async start(): Promise<void> {
    await this.client.initialize(this.dir);
    await this.client.indexed();
  }
}

const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

async function apply(s: Session, rel: string, d: Diagnostic, title: string): Promise<void> {
  const fix = (await s.fixes(rel, d)).find((a) => a.title === title);
  assert.ok(fix?.edit, `no fix "${title}"`);
  const written = applyWorkspaceEdit(fix.edit);
  await s.changed(...written.map((p) => p.slice(s.dir.length + 1)));
}

describe('language server: envtrace check diagnostics and quick fixes', () => {
  const s = new Session(workspace());
  before(() => s.start());
  after(async () => {
    assert.equal(await s.client.stop(), 0);
    removeDir(s.dir);
  });

  test('the diagnostics are the CLI findings: same rule ids, files and lines, levels as severities', async () => {
    const found = await s.agreesWithCli('the first check');
    for (const rule of ['undeclared-key', 'declared-unused', 'env-write-outside-tests', 'parallel-setenv']) assert.ok(found.some((f) => f.startsWith(rule + ' ')), rule);
    const d = s.find('main.go', 'undeclared-key', 'UNDECLARED_KEY');
    assert.equal(d.severity, 1);
    assert.equal(d.message, 'UNDECLARED_KEY is read here (os.Getenv) but not declared');
    assert.deepEqual(d.range, { start: { line: 11, character: 40 }, end: { line: 11, character: 40 + 'os.Getenv("UNDECLARED_KEY")'.length } });
    assert.ok(d.codeDescription?.href.includes('#envtrace-check'));
    assert.equal(s.find('.env.example', 'declared-unused').severity, 2);
  });

  test('quick fixes of an undeclared key; "Declare in envtrace.json" keeps the file as it was around the new entry', async () => {
    const d = s.find('main.go', 'undeclared-key', 'UNDECLARED_KEY');
    assert.deepEqual((await s.fixes('main.go', d)).map((a) => a.title), ['Add UNDECLARED_KEY to .env.example', 'Declare UNDECLARED_KEY in envtrace.json', 'Suppress undeclared-key on this line']);
    // A key that is not a plain name is only suppressed.
    assert.deepEqual((await s.fixes('main.go', s.find('main.go', 'undeclared-key', 'BAD\u0001KEY'))).map((a) => a.title), ['Suppress undeclared-key on this line']);
    const before = readFileSync(join(s.dir, 'envtrace.json'), 'utf8');
    await apply(s, 'main.go', d, 'Declare UNDECLARED_KEY in envtrace.json');
    const after = readFileSync(join(s.dir, 'envtrace.json'), 'utf8');
    const config = JSON.parse(after) as { declared: Record<string, unknown>; allow: unknown };
    // A name ending in KEY looks secret: marked so, and no default would be written.
    assert.deepEqual(config.declared.UNDECLARED_KEY, { description: 'read in main.go:12', secret: true });
    assert.deepEqual(Object.keys(config.declared), ['UNDECLARED_KEY', 'REGION']);
    assert.deepEqual(after.split('\n').filter((l) => !l.includes('UNDECLARED_KEY')), before.split('\n'), 'only the new line is added');
    const found = await s.agreesWithCli('after declaring UNDECLARED_KEY');
    assert.equal(found.filter((f) => f === 'undeclared-key main.go:12').length, 1, 'BAD\\x01KEY is left');
    assert.ok(s.diagnostics('main.go').every((x) => x.code !== 'undeclared-key' || (x.data as { key: string }).key !== 'UNDECLARED_KEY'));
  });

  test('"Suppress … on this line" adds a comment the server and the CLI honour, in Go and in .env.example', async () => {
    // A line with a comment above for another rule: the fix extends that comment.
    writeFileSync(join(s.dir, 'main.go'), readFileSync(join(s.dir, 'main.go'), 'utf8').replace('\tos.Setenv("MODE"', '\t// envtrace:ignore race (never raced)\n\tos.Setenv("MODE"'));
    await s.changed('main.go');
    await s.agreesWithCli('after a comment for another rule');
    await apply(s, 'main.go', s.find('main.go', 'env-write-outside-tests'), 'Suppress env-write-outside-tests on this line');
    assert.match(readFileSync(join(s.dir, 'main.go'), 'utf8'), /\n\t\/\/ envtrace:ignore race,env-write-outside-tests \(never raced\)\n\tos\.Setenv\("MODE"/);
    await s.agreesWithCli('after suppressing the write');
    // Otherwise a comment line is added above, indented like the line.
    await apply(s, 'main.go', s.find('main.go', 'undeclared-key', 'BAD\u0001KEY'), 'Suppress undeclared-key on this line');
    assert.match(readFileSync(join(s.dir, 'main.go'), 'utf8'), /\n\t\/\/ envtrace:ignore undeclared-key\n\tfmt\.Println/);
    await apply(s, '.env.example', s.find('.env.example', 'declared-unused'), 'Suppress declared-unused on this line');
    assert.match(readFileSync(join(s.dir, '.env.example'), 'utf8'), /# envtrace:ignore declared-unused\nSTALE_KEY=1/);
    const found = await s.agreesWithCli('after suppressing the rest');
    assert.ok(!found.some((f) => f.startsWith('env-write-outside-tests') || f.startsWith('undeclared-key') || f.includes('.env.example')), found.join('\n'));
    assert.ok(found.some((f) => f.startsWith('parallel-setenv')), 'other findings stay');
  });

  test('a corrupt envtrace.json is one error on that file, and the server goes on', async () => {
    writeFileSync(join(s.dir, 'envtrace.json'), '{ "rules": { "no-such-rule": "error" } }');
    await s.changed('envtrace.json');
    await s.until(() => s.diagnostics('envtrace.json').some((d) => d.code === 'config') && s.diagnostics('main_test.go').length === 0, 'the config error');
    const [d] = s.diagnostics('envtrace.json');
    assert.equal(d.severity, 1);
    assert.match(text(d), /unknown rule "no-such-rule"/);
    assert.deepEqual(s.diagnostics('main_test.go'), [], 'no findings from a config the CLI rejects');
    writeFileSync(join(s.dir, 'envtrace.json'), '\u0000\uffff[[[' + 'x'.repeat(100_000));
    await s.changed('envtrace.json');
    await s.until(() => s.diagnostics('envtrace.json').some((x) => /not valid JSON/.test(text(x))), 'the JSON error');
    assert.equal(s.diagnostics('envtrace.json').length, 1);
    // A FIFO and a symlink to a device are never read (reading would block or never end): as if absent.
    rmSync(join(s.dir, 'envtrace.json'));
    symlinkSync('/dev/zero', join(s.dir, 'envtrace.json'));
    rmSync(join(s.dir, '.env.example'));
    assert.equal(spawnSync('mkfifo', [join(s.dir, '.env.example')]).status, 0);
    await s.changed('envtrace.json', '.env.example');
    // Without the config, config/config.go's write is no longer allowed; nothing is declared.
    const undeclared = () => s.diagnostics('envtrace.json').length === 0 && s.findings().includes('env-write-outside-tests config/config.go:7');
    await s.until(undeclared, 'the check without config and declarations');
    assert.ok(undeclared(), s.findings().join('\n'));
    assert.ok(!s.findings().some((f) => f.startsWith('declared-unused') || f.startsWith('undeclared-key')), s.findings().join('\n'));
    assert.match(cliCheck(s.dir).stderr, /cannot read (config|declarations) .*not a regular file/, 'the CLI refuses them at once');
    rmSync(join(s.dir, 'envtrace.json'));
    rmSync(join(s.dir, '.env.example'));
    await s.changed('envtrace.json', '.env.example');
    await s.agreesWithCli('after removing the config');
  });
});

describe('language server: envtrace check quick fixes that create files', () => {
  // No .env.example; envtrace.json declares REGION, so undeclared keys are checked.
  const s = new Session(
    workspace((dir) => {
      rmSync(join(dir, '.env.example'));
      writeFileSync(join(dir, 'serve.go'), 'package main\n\nimport (\n\t"cmp"\n\t"os"\n)\n\nfunc serve() {\n\t_ = cmp.Or(os.Getenv("LISTEN_ADDR"), ":8080")\n\t_ = cmp.Or(os.Getenv("API_TOKEN"), "dev-token-123")\n}\n');
    }),
  );
  before(() => s.start());
  after(async () => {
    assert.equal(await s.client.stop(), 0);
    removeDir(s.dir);
  });

  test('"Add KEY to .env.example" creates the file with the default the scanner found, never a secret\'s', async () => {
    await s.agreesWithCli('the first check');
    await apply(s, 'serve.go', s.find('serve.go', 'undeclared-key', 'LISTEN_ADDR'), 'Add LISTEN_ADDR to .env.example');
    assert.equal(readFileSync(join(s.dir, '.env.example'), 'utf8'), '# LISTEN_ADDR: read in serve.go:9, default in code\nLISTEN_ADDR=:8080\n');
    await s.agreesWithCli('after adding LISTEN_ADDR');
    await apply(s, 'serve.go', s.find('serve.go', 'undeclared-key', 'API_TOKEN'), 'Add API_TOKEN to .env.example');
    const text = readFileSync(join(s.dir, '.env.example'), 'utf8');
    assert.ok(text.endsWith('# API_TOKEN: read in serve.go:10 (its default is not shown: secret)\nAPI_TOKEN=\n'), text);
    assert.ok(!text.includes('dev-token-123'));
    const found = await s.agreesWithCli('after adding API_TOKEN');
    // What stays in serve.go is secret-hygiene: a secret's default written in the code.
    assert.deepEqual(found.filter((f) => f.includes('serve.go')), ['secret-hygiene serve.go:10'], found.join('\n'));
  });

  test('"Declare KEY in envtrace.json" creates the file with its $schema when there is none', async () => {
    rmSync(join(s.dir, 'envtrace.json'));
    await s.changed('envtrace.json');
    writeFileSync(join(s.dir, 'serve.go'), readFileSync(join(s.dir, 'serve.go'), 'utf8').replace('}\n', '\t_ = os.Getenv("DEBUG_DUMP")\n}\n'));
    await s.changed('serve.go');
    await s.agreesWithCli('after adding DEBUG_DUMP');
    await apply(s, 'serve.go', s.find('serve.go', 'undeclared-key', 'DEBUG_DUMP'), 'Declare DEBUG_DUMP in envtrace.json');
    const config = JSON.parse(readFileSync(join(s.dir, 'envtrace.json'), 'utf8')) as Record<string, unknown>;
    assert.match(String(config.$schema), /schemas\/envtrace\.schema\.json$/);
    assert.deepEqual(config.declared, { DEBUG_DUMP: { description: 'read in serve.go:11' } });
    const found = await s.agreesWithCli('after declaring DEBUG_DUMP');
    assert.ok(!found.some((f) => f.includes('DEBUG_DUMP') || f.startsWith('undeclared-key serve.go:11')));
  });
});

describe('language server: envtrace check with the shown runs and the setting', () => {
  // The breaks fixture's races run stored in the folder's .envtrace: the server shows it (the latest).
  const dir = workspace((d) => cpSync(join(repoRoot, 'test', 'fixtures', 'runs', 'races'), join(d, '.envtrace', 'runs', 'races'), { recursive: true }));
  const s = new Session(dir, [join(dir, '.envtrace', 'runs', 'races')]);
  before(() => s.start());
  after(async () => {
    assert.equal(await s.client.stop(), 0);
    removeDir(s.dir);
  });

  test('run findings (race) match the CLI given the same run', async () => {
    const found = await s.agreesWithCli('the check with the run');
    assert.ok(found.includes('race main_test.go:23'), found.join('\n'));
    assert.match(text(s.find('main_test.go', 'race')), /definite race on A_DEFINITE in run races/);
  });

  test('envtrace.check.enabled: false clears the diagnostics; true brings them back', async () => {
    s.client.settings = { check: { enabled: false } };
    await s.client.notify('workspace/didChangeConfiguration', { settings: {} });
    await s.until(() => s.findings().length === 0, 'no check diagnostics');
    assert.deepEqual(s.findings(), []);
    s.client.settings = {};
    await s.client.notify('workspace/didChangeConfiguration', { settings: {} });
    await s.agreesWithCli('the check switched on again');
  });
});
