// `envtrace check` through the built CLI (dist/cli.js) on real fixture trees and stored runs:
// each rule fires on test/fixtures/check/breaks and stays quiet on test/fixtures/check/follows.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv-draft-04';
import type { CheckResult } from '../../server/src/check/check';
import { escapeData, escapeProperty } from '../../server/src/check/github';
import { RULES } from '../../server/src/check/rules';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const fixtures = join(repo, 'test', 'fixtures', 'check');
const RACES = 'test/fixtures/runs/races';
const BASIC = 'test/fixtures/runs/basic';

function envtrace(args: string[], env: NodeJS.ProcessEnv = {}) {
  assert.ok(existsSync(cli), 'dist/cli.js is built (npm test builds it)');
  const r = spawnSync(process.execPath, [cli, 'check', ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, GITHUB_STEP_SUMMARY: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[]): { code: number | null; result: CheckResult } {
  const r = envtrace([...args, '--format', 'json']);
  assert.equal(r.stderr, '');
  return { code: r.code, result: JSON.parse(r.stdout) as CheckResult };
}

/** The parts of a SARIF log the test reads. */
interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; shortDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    properties: Record<string, unknown>;
    results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: unknown }[] }[];
  }[];
}

const brief = (r: CheckResult) => r.findings.map((f) => [f.rule, f.key, f.file, f.line].join(' '));

test('every rule fires on the fixture that breaks it, at its default level', () => {
  const { code, result } = json([join(fixtures, 'breaks'), '--run', RACES, BASIC]);
  assert.equal(code, 1);
  assert.deepEqual(brief(result), [
    // The runs were recorded in /work/app, outside the checked tree: their findings are
    // anchored at the key's static site, else its declaration, else nowhere (B_LIKELY).
    // REGION (declared in envtrace.json, read by no code here) counts as used: the basic run read it.
    'declared-unused STALE_KEY .env.example 3',
    'required-unset REGION envtrace.json 4',
    // Both keys end in KEY (secret-looking) and fmt.Println prints them.
    'secret-to-output UNDECLARED_KEY main.go 12',
    'secret-to-output BAD\u0001KEY main.go 12',
    'undeclared-key UNDECLARED_KEY main.go 12',
    'undeclared-key BAD\u0001KEY main.go 12',
    'env-write-outside-tests MODE main.go 13',
    'parallel-setenv DATABASE_URL main_test.go 10',
    'parallel-setenv DATABASE_URL main_test.go 16',
    'race A_DEFINITE main_test.go 23',
    'race B_LIKELY  ',
  ]);
  const level = new Map(RULES.map((r) => [r.id, r.level]));
  for (const f of result.findings) assert.equal(f.level, level.get(f.rule), f.rule);
  assert.deepEqual(result.summary, { error: 9, warning: 2, note: 0 });
  assert.deepEqual(result.declaredFrom, ['.env.example', 'envtrace.json']);
  assert.match(result.findings.find((f) => f.rule === 'required-unset')?.message ?? '', /process 100/);
});

test('every rule stays quiet on the fixture that follows it', () => {
  const { code, result } = json([join(fixtures, 'follows'), '--run', BASIC]);
  assert.equal(code, 0);
  assert.deepEqual(result.findings, []);
  // The config raised declared-unused to error; nothing else changed.
  assert.equal(result.rules.find((r) => r.id === 'declared-unused')?.level, 'error');
  assert.deepEqual(result.runs, ['20261126-120000-abcdef']);
});

test('--run latest checks the newest stored run of --dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-check-'));
  try {
    cpSync(join(repo, RACES), join(dir, '.envtrace', 'runs', '20261126-120000-races'), { recursive: true });
    const { code, result } = json([join(fixtures, 'nodecl'), '--dir', dir, '--run', 'latest']);
    assert.equal(code, 1);
    assert.deepEqual(result.runs, ['races']);
    assert.deepEqual(brief(result), ['race A_DEFINITE  ', 'race B_LIKELY  ']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('undeclared-key is silent where nothing is declared', () => {
  const { code, result } = json([join(fixtures, 'nodecl')]);
  assert.equal(code, 0);
  assert.deepEqual(result.findings, []);
  assert.deepEqual(result.declaredFrom, []);
});

test('race honours raceLevel and config levels switch rules off', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-check-'));
  try {
    const cfg = join(dir, 'possible.json');
    writeFileSync(cfg, JSON.stringify({ raceLevel: 'possible', rules: { 'undeclared-key': 'note', 'declared-unused': 'off' } }));
    const { result } = json([join(fixtures, 'nodecl'), '--run', RACES, '--config', cfg]);
    assert.deepEqual(brief(result), ['race A_DEFINITE  ', 'race B_LIKELY  ', 'race C_POSSIBLE  ', 'race G_AFTER_START  ', 'race J_PARALLEL  ']);
    const off = join(dir, 'off.json');
    writeFileSync(off, JSON.stringify({ rules: Object.fromEntries(RULES.filter((r) => r.level === 'error').map((r) => [r.id, 'off'])) }));
    const quiet = json([join(fixtures, 'breaks'), '--run', RACES, BASIC, '--config', off]);
    assert.equal(quiet.code, 0, 'only warnings left: exit 0');
    assert.deepEqual([...new Set(quiet.result.findings.map((f) => f.level))], ['warning']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad input exits 2 with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-check-'));
  try {
    const cases: [string[], RegExp][] = [
      [[join(dir, 'missing')], /^envtrace: check: not a directory: .*missing\n$/],
      [[join(fixtures, 'follows'), '--format', 'xml'], /--format is one of text, json, sarif, github/],
      [[join(fixtures, 'follows'), '--run', 'no-such-run'], /no run "no-such-run"/],
      [['--run', BASIC, join(fixtures, 'follows')], /is not a run directory .*\(--run takes every word after it: put PATH first\)\n$/],
      [[join(fixtures, 'follows'), '--config', join(dir, 'absent.json')], /cannot read config .*absent\.json: ENOENT\n$/],
    ];
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"rules": {"race": "error",');
    cases.push([[join(fixtures, 'follows'), '--config', corrupt], /corrupt\.json: not valid JSON/]);
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, '{"rules": {"no-such-rule": "error"}}');
    cases.push([[join(fixtures, 'follows'), '--config', unknown], /unknown rule "no-such-rule"/]);
    const level = join(dir, 'level.json');
    writeFileSync(level, '{"rules": {"race": "fatal"}}');
    cases.push([[join(fixtures, 'follows'), '--config', level], /rules\.race must be one of error, warning, note, off/]);
    for (const [args, message] of cases) {
      const r = envtrace(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SARIF output validates against the SARIF 2.1.0 schema and carries rules and locations', () => {
  const r = envtrace([join(fixtures, 'breaks'), '--run', RACES, BASIC, '--format', 'sarif']);
  assert.equal(r.code, 1, r.stderr);
  const log = JSON.parse(r.stdout) as SarifLog;
  const schema = JSON.parse(readFileSync(join(fixtures, 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
  // NOTE: the schema's `language` pattern has a stray `]`, valid only without the `u` flag.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));
  const run = log.runs[0];
  // GitHub rejects a file with one unlocated result: B_LIKELY's race has no place under PATH.
  assert.ok(run.results.every((x) => x.locations.length === 1));
  assert.deepEqual(run.properties, { unlocatedFindings: 1 });
  assert.equal(run.results.length, 10);
  assert.deepEqual(run.tool.driver.rules.map((x) => x.id), RULES.map((x) => x.id));
  for (const rule of run.tool.driver.rules) {
    assert.ok(rule.shortDescription.text && rule.help.text, rule.id);
    // SARIF's name for a rule that is off by default is `none`.
    const level = RULES.find((x) => x.id === rule.id)?.level;
    assert.equal(rule.defaultConfiguration.level, level === 'off' ? 'none' : level);
  }
  assert.equal(run.originalUriBaseIds.ROOT.uri, `file://${join(fixtures, 'breaks')}/`);
  const unset = run.results.find((x) => x.message.text.startsWith('UNDECLARED_KEY'));
  assert.ok(unset);
  assert.deepEqual(unset.locations[0].physicalLocation, { artifactLocation: { uri: 'main.go', uriBaseId: 'ROOT' }, region: { startLine: 12, startColumn: 41 } });
  assert.equal(unset.ruleId, 'undeclared-key');
  assert.equal(unset.level, 'error');
});

test('github format prints workflow commands and appends a job summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-check-'));
  try {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, 'before\n');
    const r = envtrace([join(fixtures, 'breaks'), '--format', 'github'], { GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.every((l) => /^::(error|warning|notice) /.test(l)), r.stdout);
    assert.ok(lines.includes('::error file=test/fixtures/check/breaks/main.go,line=12,col=41,title=envtrace undeclared-key::UNDECLARED_KEY is read here (os.Getenv) but not declared'));
    const md = readFileSync(summary, 'utf8');
    assert.match(md, /^before\n## envtrace check\n/);
    assert.match(md, /\| error \| parallel-setenv \| test\/fixtures\/check\/breaks\/main_test\.go:10 \|/);
    assert.match(md, /BAD\\\\u0001KEY/);
    assert.doesNotMatch(md, /\u0001/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(escapeData('100%\r\nnext'), '100%25%0D%0Anext');
  assert.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
});

test('text output escapes control characters from the code', () => {
  const r = envtrace([join(fixtures, 'breaks')]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /main\.go:12:70 {2}error {2}undeclared-key {2}BAD\\u0001KEY is read here/);
  assert.doesNotMatch(r.stdout, /\u0001/);
  assert.match(r.stdout, /\n6 error\(s\), 3 warning\(s\), 0 note\(s\)\n$/);
});
