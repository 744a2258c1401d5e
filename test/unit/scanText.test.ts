import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mentionsEnvApi } from '../../server/src/scan/apis';
import { topLevelChunks } from '../../server/src/scan/chunks';
import { decodeStringLiteral, evaluateKey, expandRefs, type ConstLookup, type Expr } from '../../server/src/scan/expr';
import { modulePath } from '../../server/src/scan/modules';

const kinds = (text: string) => topLevelChunks(text).map((c) => `${c.kind}:${text.slice(c.start, c.end).trim().split('\n')[0]}`);

test('top-level chunks split at declarations, never inside strings, comments or bodies', () => {
  const src = [
    'package p',
    'import "os"',
    'const s = `',
    'func notADecl() {}',
    '`',
    '/* func alsoNot() {} */',
    'func f() {',
    '\tvar x = "func g() {"',
    '\t_ = x',
    '}',
    'type T struct{ f func() }',
    "var r = '}'",
  ].join('\n');
  assert.deepEqual(kinds(src), ['head:', 'package:package p', 'import:import "os"', 'const:const s = `', 'func:func f() {', 'type:type T struct{ f func() }', "var:var r = '}'"]);
});

test('a keyword on the line of another declaration is part of it (a func type or literal in a var)', () => {
  const src = ['package p', 'var load func(file, name string) ([]byte, error)', 'var f = func() string { return "" }', 'func g() {}; func h() {}', '/* doc */ func k() {}'].join('\n');
  assert.deepEqual(kinds(src), ['head:', 'package:package p', 'var:var load func(file, name string) ([]byte, error)', 'var:var f = func() string { return "" }', 'func:func g() {};', 'func:func h() {}', 'func:func k() {}']);
});

test('after an unclosed brace the rest of a file stays one chunk (slower, never wrong)', () => {
  assert.deepEqual(kinds('package p\nfunc f() {\nfunc g() {}\n'), ['head:', 'package:package p', 'func:func f() {']);
});

test('string literals decode like Go: escapes, raw strings without carriage returns, invalid escapes', () => {
  assert.equal(decodeStringLiteral('"A\\tB\\x41\\u00e9\\101\\\\"'), 'A\tBAéA\\');
  assert.equal(decodeStringLiteral('`a\r\nb\\n`'), 'a\nb\\n');
  assert.equal(decodeStringLiteral('"bad\\q"'), null);
  assert.equal(decodeStringLiteral('noquotes'), null);
});

test('ExpandEnv references: $NAME, ${NAME}, one digit, and $$ is not a key', () => {
  assert.deepEqual(expandRefs('$HOME/${USER}x $1abc $$ $ ${}'), [
    { name: 'HOME', offset: 0, length: 5 },
    { name: 'USER', offset: 6, length: 7 },
    { name: '1', offset: 15, length: 2 },
  ]);
});

test('keys: constants and concatenation resolve; unknown parts become * in a pattern; all unknown is dynamic', () => {
  const consts: Record<string, Expr> = { P: { t: 'str', v: 'APP_' }, Q: { t: 'ref', name: 'P' }, LOOP: { t: 'ref', name: 'LOOP' } };
  const lookup: ConstLookup = (name) => (consts[name] ? { e: consts[name], lookup } : undefined);
  const u: Expr = { t: 'unknown' };
  const cat = (...parts: Expr[]): Expr => ({ t: 'cat', parts });
  const s = (v: string): Expr => ({ t: 'str', v });
  assert.deepEqual(evaluateKey(cat({ t: 'ref', name: 'Q' }, s('X')), lookup), { key: 'APP_X', pattern: null });
  assert.deepEqual(evaluateKey(cat(s('FEATURE_'), u), lookup), { key: null, pattern: 'FEATURE_*' });
  assert.deepEqual(evaluateKey(cat(u, u, s('_URL')), lookup), { key: null, pattern: '*_URL' });
  assert.deepEqual(evaluateKey(cat(u, u), lookup), { key: null, pattern: null });
  assert.deepEqual(evaluateKey({ t: 'ref', name: 'LOOP' }, lookup), { key: null, pattern: null }, 'a self-referencing constant ends');
  assert.deepEqual(evaluateKey({ t: 'fmt', format: s('%s_%d_%q%%'), args: [s('A'), u, s('B')] }, lookup), { key: null, pattern: 'A_*_*%' });
  assert.deepEqual(evaluateKey({ t: 'fmt', format: u, args: [] }, lookup), { key: null, pattern: null });
});

test('the pre-filter sees env API names only as words', () => {
  assert.ok(mentionsEnvApi('x := os.Getenv("A")'));
  assert.ok(mentionsEnvApi('t.Setenv("A", "b")'));
  assert.ok(!mentionsEnvApi('environment := myGetenvLike()'));
  assert.ok(!mentionsEnvApi('package p // no env here'));
});

test('go.mod module lines: plain, quoted, with a comment; none', () => {
  assert.equal(modulePath('// c\nmodule example.com/m // trailing\n\ngo 1.22\n'), 'example.com/m');
  assert.equal(modulePath('module "example.com/q"\n'), 'example.com/q');
  assert.equal(modulePath('go 1.22\n'), null);
});
