/**
 * Snapshot tests of the TextMate grammar for envtrace's text trace (syntaxes/), tokenized by the
 * same engine VS Code uses (vscode-textmate + the oniguruma wasm). UPDATE_SNAPSHOTS=1 rewrites
 * the snapshot after a deliberate grammar change; review its diff.
 */
import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = path.join(__dirname, '..', '..', '..');
const grammarPath = path.join(root, 'syntaxes', 'envtrace-trace.tmLanguage.json');
const fixtures = path.join(root, 'test', 'fixtures', 'syntaxes');
const short = (scope: string) => scope.replace(/\.envtrace-trace$/, '');

let grammar: textmate.IGrammar;

/** Tokens of each line as `text → scopes` rows (the root scope left out). */
function tokenize(text: string): { text: string; scopes: string[] }[][] {
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1).map(short) }));
  });
}

function snapshot(text: string): string {
  return tokenize(text)
    .map((tokens, i) => [`${i + 1}: ${text.split('\n')[i]}`, ...tokens.filter((t) => t.text.trim()).map((t) => `  ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`)].join('\n'))
    .join('\n');
}

/** The scopes of the first token whose text is exactly `text` on line `line` (0-based). */
function scopesOf(lines: { text: string; scopes: string[] }[][], line: number, text: string): string[] {
  const t = lines[line].find((x) => x.text === text);
  assert.ok(t, `no token ${JSON.stringify(text)} on line ${line + 1}: ${JSON.stringify(lines[line].map((x) => x.text))}`);
  return t.scopes;
}

describe('envtrace-trace grammar', () => {
  before(async () => {
    const wasm = readFileSync(path.join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
      loadGrammar: async (scope) => (scope === 'text.envtrace-trace' ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null),
    });
    const g = await registry.loadGrammar('text.envtrace-trace');
    assert.ok(g, 'the grammar loads');
    grammar = g;
  });

  it('matches the snapshot of a full trace', () => {
    const text = readFileSync(path.join(fixtures, 'trace.txt'), 'utf8').trimEnd();
    const snapPath = path.join(fixtures, 'trace.txt.snap');
    const actual = snapshot(text) + '\n';
    if (process.env.UPDATE_SNAPSHOTS || !existsSync(snapPath)) writeFileSync(snapPath, actual);
    assert.equal(actual, readFileSync(snapPath, 'utf8'));
  });

  it('tells reads, writes and process ops apart in the op tag', () => {
    const lines = tokenize('[GETENV] a.go:1 → os.Getenv("A")\n[SETENV] a.go:2 → os.Setenv("A", "1")\n[SPAWN] a.go:3 → exec.Cmd.Start("x")');
    assert.ok(scopesOf(lines, 0, 'GETENV').includes('keyword.other.op.read'));
    assert.ok(scopesOf(lines, 1, 'SETENV').includes('keyword.other.op.write'));
    assert.ok(scopesOf(lines, 2, 'SPAWN').includes('keyword.other.op.process'));
  });

  it('scopes the location, the api, the key, the value and the count', () => {
    const lines = tokenize('[GETENV] cmd/api/main.go:12 → os.Getenv("DATABASE_URL") → value="postgres://x" (×3)');
    assert.ok(scopesOf(lines, 0, 'cmd/api/main.go').includes('entity.name.filename'));
    assert.ok(scopesOf(lines, 0, '12').includes('constant.numeric.line'));
    assert.ok(scopesOf(lines, 0, 'os.Getenv').includes('support.function.api'));
    assert.ok(scopesOf(lines, 0, 'DATABASE_URL').includes('variable.other.key'));
    assert.ok(scopesOf(lines, 0, 'postgres://x').includes('string.quoted.double.value'));
    assert.ok(scopesOf(lines, 0, '3').includes('constant.numeric.count'));
  });

  it('marks both forms of redaction and unset reads', () => {
    const lines = tokenize('[GETENV] a.go:1 → os.Getenv("DB_PASSWORD") → ••• (24 chars)\n[GETENV] a.go:2 → os.Getenv("T") → value=<redacted>\n[LOOKUP] a.go:3 → os.LookupEnv("R") → unset');
    assert.ok(scopesOf(lines, 0, '•••').includes('constant.other.redacted'));
    assert.ok(scopesOf(lines, 0, '24').includes('constant.numeric.length'));
    assert.ok(scopesOf(lines, 1, '<redacted>').includes('constant.other.redacted'));
    assert.ok(scopesOf(lines, 2, 'unset').includes('constant.language.unset'));
  });

  it('flags race warnings and keeps their locations clickable-looking', () => {
    const lines = tokenize('⚠ definite race on APP_STAGE: written by goroutine 12 at main.go:39');
    assert.ok(scopesOf(lines, 0, '⚠').includes('invalid.illegal.race.mark'));
    assert.ok(scopesOf(lines, 0, 'definite').includes('keyword.other.race-level'));
    assert.ok(scopesOf(lines, 0, 'APP_STAGE').includes('variable.other.key'));
    assert.ok(scopesOf(lines, 0, 'main.go').includes('entity.name.filename'));
  });

  it('does not let an unterminated value leak into the next line', () => {
    const lines = tokenize('[GETENV] a.go:1 → os.Getenv("A") → value="broken\n[GETENV] b.go:2 → os.Getenv("B")');
    assert.ok(scopesOf(lines, 1, 'GETENV').includes('keyword.other.op.read'));
    assert.ok(!scopesOf(lines, 1, 'b.go').some((s) => s.startsWith('string')));
  });
});
