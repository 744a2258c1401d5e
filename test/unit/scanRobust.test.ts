import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createScanner } from '../../server/src/scan/index';
import { prng } from './prng';

const repo = join(__dirname, '..', '..', '..');
const fixture = join(repo, 'test', 'fixtures', 'scan', 'mod');
const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();

const SNIPPETS = ['{', '}', '(', ')', '"', '`', "'", '/*', '*/', '//', '\n', 'os.Getenv(', 'os := 1\n', 'func ', 'const (', 'import . "os"\n',
  '"$', '${', 'fmt.Sprintf("%s', ' + ', '\\', '\u00e9\u{1F600}', '\0', '\r\n', 'package ', 't.Setenv(', 'getenv(', '[]', 'iota'];

function mutate(text: string, rnd: (n: number) => number): string {
  const at = rnd(text.length + 1);
  switch (rnd(5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + rnd(200));
    case 1:
      return text.slice(0, at) + SNIPPETS[rnd(SNIPPETS.length)] + text.slice(at);
    case 2:
      return text.slice(0, at);
    case 3: {
      const from = rnd(text.length + 1);
      return text.slice(0, at) + text.slice(from, from + rnd(400)) + text.slice(at);
    }
    default: {
      const lines = text.split('\n');
      const i = rnd(lines.length);
      const j = rnd(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
  }
}

test('300 seeded random mutations of real Go files never make the scanner throw or corrupt the index', async () => {
  const osDir = join(goroot, 'src', 'os');
  const sources = [
    ...readdirSync(osDir).filter((n) => n.endsWith('.go')).sort().slice(0, 24).map((n) => join(osDir, n)),
    ...['main.go', 'expand.go', 'shadow.go', 'main_test.go', join('config', 'config.go')].map((n) => join(fixture, n)),
  ];
  const scanner = await createScanner();
  const index = scanner.createIndex(fixture);
  index.setFile(join(fixture, 'go.mod'), readFileSync(join(fixture, 'go.mod'), 'utf8'));
  const originals = new Map(sources.map((p) => [p, readFileSync(p, 'utf8')]));
  for (const [p, t] of originals) index.setFile(p, t);
  const before = JSON.stringify(index.allSites());
  assert.ok(index.allSites().length > 50, 'the originals have sites to lose');

  const rnd = prng(20261126);
  const kinds = new Set(['read', 'write', 'unset', 'clear', 'environ']);
  let sitesSeen = 0;
  for (let i = 0; i < 300; i++) {
    const path = sources[rnd(sources.length)];
    let text = originals.get(path)!;
    for (let k = 1 + rnd(3); k > 0; k--) text = mutate(text, rnd);
    index.setFile(path, text);
    index.refresh();
    for (const s of index.sitesOf(path)) {
      sitesSeen++;
      assert.ok(kinds.has(s.kind) && s.line >= 1 && s.column >= 1 && s.endLine >= s.line, `mutation ${i}: malformed site ${JSON.stringify(s)}`);
      assert.ok(s.key === null || typeof s.key === 'string');
    }
    if (i % 3 === 0) index.setFile(path, originals.get(path)!);
  }
  assert.ok(sitesSeen > 300, 'mutated files still yield sites as far as tree-sitter recovers');
  assert.equal(index.stats.failures, 0, 'no extraction threw (errors are not merely caught)');
  for (const [p, t] of originals) index.setFile(p, t);
  index.refresh();
  assert.equal(JSON.stringify(index.allSites()), before, 'restoring the texts restores exactly the original sites');
});
