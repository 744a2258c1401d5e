// The engine (STYLE.md: scan/, runs/, analysis/, tracer/, check/ for `envtrace check`, uses/, otlp/) is
// shared by the CLI and the language server: it imports neither `vscode` nor the LSP library.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const src = join(__dirname, '..', '..', '..', 'server', 'src');
const ENGINE = ['scan', 'runs', 'analysis', 'tracer', 'check', 'uses', 'otlp'];
const EDITOR_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"](vscode|vscode-languageserver[^'"]*|vscode-jsonrpc[^'"]*)['"]/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('engine folders import neither vscode nor the language server library', () => {
  const files = ENGINE.flatMap((d) => tsFiles(join(src, d)));
  assert.ok(files.some((f) => f.includes(`${join('src', 'check')}`)), 'check/ is covered');
  for (const f of files) assert.doesNotMatch(readFileSync(f, 'utf8'), EDITOR_IMPORT, f);
});
