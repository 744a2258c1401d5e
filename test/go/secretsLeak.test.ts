// Issue 10, "secrets that envtrace already knows are secrets": the real CLI traces a program
// that meets every case (secret flags on the command line, a secret passed as a child's
// argument, copies under neutral names and in a child's environment, the widened names and
// values, a `.env` file), then no file under .envtrace/, no CLI output (run, runs, report,
// diff) and no answer of the language server (hovers, lenses, inlay hints) holds a secret.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol';
import { sipHashHex } from '../../server/src/tracer/siphash';
import { LspClient, positionOf, uriOf } from '../server/lspClient';
import { isGoCommand } from '../../server/src/runs/goCommand';
import { readRun, type Rec } from './recorderSupport';

const repo = resolve(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'envtrace-leak-'));
const app = join(work, 'secretleak');
cpSync(join(repo, 'test', 'fixtures', 'go', 'secretleak'), app, { recursive: true });
after(() => rmSync(work, { recursive: true, force: true }));

const ENV = {
  DB_PASSWORD: 'pw-Hunter2-xyz',
  PGPASS: 'pgpass-Secret-1',
  MYSQL_PWD: 'mysqlpwd-Secret-2',
  DB_PASS: 'dbpass-Secret-3',
  ENCRYPTION_KEY: 'enckey-Secret-4',
  PRIVATEKEY: 'privkey-Secret-5',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/slackSecret6',
  CONN: 'u:mysqlSecret7@tcp(db:3306)/app',
  ERRORS_AT: 'https://sentryKey8abc@o1.ingest.sentry.io/1',
  UPSTREAM_HEADER: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sigSecret9',
  CHILD_FLAG_SECRET: 'flag-Secret-10',
};
const ARGS = ['--password=S3CR3T-cli-11', '--db-pass', 'S3CR3T-cli-12'];
const DOTENV = 'PGPASS=dotenv-pgpass-13\nMYSQL_PWD=dotenv-mysql-14\nCONN=u:dotenvSecret15@tcp(db:3306)/app\nDB_PASSWORD=dotenv-pw-16\nCOPY_OF_PW=dotenv-pw-16\n';
/** Every secret, and the distinctive part of each, none of which may appear anywhere. */
const NEEDLES = [
  ...Object.values(ENV), 'Hunter2', 'slackSecret6', 'mysqlSecret7', 'sentryKey8', 'eyJhbGci', 'sigSecret9',
  'S3CR3T-cli-11', 'S3CR3T-cli-12', 'dotenv-pgpass-13', 'dotenv-mysql-14', 'dotenvSecret15', 'dotenv-pw-16',
];

function envtrace(args: string[]): string {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ENVTRACE_')));
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: app, env: { ...clean, ...ENV }, encoding: 'utf8' });
  assert.equal(r.status, 0, `envtrace ${args.join(' ')}: ${r.stderr}`);
  return r.stdout + r.stderr;
}

/** The text of every file below dir. */
function everyFile(dir: string): string {
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .map((p) => (statSync(p).isDirectory() ? everyFile(p) : readFileSync(p, 'utf8')))
    .join('\n');
}

function assertNoSecret(text: string, where: string): void {
  const plain = text.replace(/\\/g, ''); // Markdown and JSON escapes (`S3CR3T\-cli`) hide nothing
  for (const s of NEEDLES) assert.ok(!plain.includes(s), `${where} holds ${s}`);
}

test('no secret in .envtrace/, in the CLI outputs or in the language server answers', async () => {
  writeFileSync(join(app, '.env'), DOTENV);
  const outputs: [string, string][] = [];
  for (let i = 0; i < 2; i++) outputs.push([`run ${i}`, envtrace(['--', 'go', 'run', '.', ...ARGS])]);
  const runsDir = join(app, '.envtrace', 'runs');
  const [a, b] = readdirSync(runsDir).sort();
  outputs.push(['runs', envtrace(['runs'])]);
  outputs.push(['report', envtrace(['report'])]);
  outputs.push(['report --format json', envtrace(['report', '--format', 'json'])]);
  outputs.push(['diff --format json', envtrace(['diff', '--format', 'json', a, b])]);
  outputs.push(['diff', envtrace(['diff', a, b])]);
  for (const [where, text] of outputs) assertNoSecret(text, where);
  assertNoSecret(everyFile(join(app, '.envtrace')), '.envtrace/');

  // What is there instead: run.json's command line hashes a flag value as the recorder does.
  const key = readFileSync(join(app, '.envtrace', 'key'), 'utf8').trim();
  const info = JSON.parse(readFileSync(join(runsDir, b, 'run.json'), 'utf8')) as { command: string[] };
  const h = (s: string) => `<redacted h=${sipHashHex(key, s)} n=${s.length}>`;
  assert.deepEqual(info.command.slice(3), [`--password=${h('S3CR3T-cli-11')}`, '--db-pass', h('S3CR3T-cli-12')]);
  const files = readRun(join(runsDir, b));
  // The traced go command (`go run`) is a process of the run too: its argv is redacted the same way.
  const goCommand = files.find((f) => isGoCommand({ argv: f.proc.argv as string[] }))!;
  assert.deepEqual(goCommand.proc.argv.slice(1), ['run', '.', ...info.command.slice(3)]);
  const programs = files.filter((f) => f !== goCommand);
  const parent = programs.find((f) => !programs.some((g) => g.proc.pid === f.proc.parent))!;
  const child = programs.find((f) => f !== parent)!;
  assert.deepEqual(parent.proc.argv.slice(1), info.command.slice(3), 'the program records its argv like run.json');
  // The child's argv: a secret flag's value, and the parent's secret, which the child only knows by hash.
  assert.deepEqual(child.proc.argv.slice(1), ['child', '--api-secret', h(ENV.CHILD_FLAG_SECRET), h(ENV.DB_PASSWORD)]);
  const spawn = parent.events.find((e) => e.op === 'spawn')!;
  assert.deepEqual(spawn.argv.slice(1), child.proc.argv.slice(1));
  const value = (f: typeof parent, op: string, k: string): Rec => f.events.find((e) => e.op === op && e.k === k)!;
  assert.equal(value(parent, 'setenv', 'COPY_OF_PW').h, sipHashHex(key, ENV.DB_PASSWORD), 'a copy hashes as the original');
  assert.equal(value(child, 'getenv', 'CHILD_COPY').h, sipHashHex(key, ENV.DB_PASSWORD), "a copy in the child's environment");
  for (const k of Object.keys(ENV).filter((k) => k !== 'CHILD_FLAG_SECRET')) assert.ok(value(parent, 'getenv', k).h, `${k} redacted`);

  const client = LspClient.start('server');
  try {
    await client.initialize(app);
    await client.indexed();
    const main = join(app, 'main.go');
    const text = readFileSync(main, 'utf8');
    const answers: unknown[] = [];
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(main) } });
    answers.push(lenses);
    assert.ok(JSON.stringify(lenses).includes('•••'), 'the lenses show redacted values');
    const hovers: (Hover | null)[] = [];
    for (const k of [...Object.keys(ENV), 'COPY_OF_PW']) {
      hovers.push(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(main) }, position: positionOf(text, `"${k}"`, 1) }));
    }
    // The read of COPY_OF_PW (its first mention is the write): its .env value copies a secret.
    hovers.push(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(main) }, position: positionOf(text, '"COPY_OF_PW"', 1, 1) }));
    assert.ok(JSON.stringify(hovers.at(-1)).replace(/\\/g, '').includes('COPY_OF_PW=••• (12 chars)'), 'the .env copy of a secret is redacted');
    const shown = JSON.stringify(hovers);
    assert.ok(shown.includes('From run'), 'the hovers show the run and its (redacted) command');
    assert.ok(shown.includes('Defined in .env files'), 'the hovers list the .env definitions');
    answers.push(hovers);
    const dotenv = join(app, '.env');
    answers.push(await client.request('textDocument/codeLens', { textDocument: { uri: uriOf(dotenv) } }));
    for (const k of ['PGPASS', 'MYSQL_PWD', 'CONN']) {
      answers.push(await client.request('textDocument/hover', { textDocument: { uri: uriOf(dotenv) }, position: positionOf(DOTENV, k, 1) }));
    }
    const lines = text.split('\n').length;
    answers.push(await client.request('textDocument/inlayHint', { textDocument: { uri: uriOf(main) }, range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } } }));
    assertNoSecret(JSON.stringify(answers), "the language server");
  } finally {
    assert.equal(await client.stop(), 0);
  }
});
