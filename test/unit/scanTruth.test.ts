import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { createScanner, type Scanner } from '../../server/src/scan/index';

const repo = join(__dirname, '..', '..', '..');
const truthDir = join(repo, 'test', 'fixtures', 'scan', 'truth');
const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();

interface Truth {
  calls: { file: string; line: number; kind: string; api: string; key: string | null }[];
  dotImports: string[];
}

let scanner: Scanner;
before(async () => {
  scanner = await createScanner();
});

/** go/parser + go/ast's view of a tree's direct os/syscall env calls (test/fixtures/scan/truth). */
function truth(dir: string): Truth {
  return JSON.parse(execFileSync('go', ['run', '.', dir], { cwd: truthDir, encoding: 'utf8', maxBuffer: 1 << 26 })) as Truth;
}

const trees = [
  ['the fixture module', join(repo, 'test', 'fixtures', 'scan', 'mod')],
  ['GOROOT/src/os', join(goroot, 'src', 'os')],
  ['GOROOT/src/net', join(goroot, 'src', 'net')],
  ['GOROOT/src/cmd/go', join(goroot, 'src', 'cmd', 'go')],
];

for (const [name, dir] of trees) {
  test(`direct env calls in ${name} match go/ast: same lines, kinds, APIs and literal keys`, async () => {
    const want = truth(dir);
    assert.ok(want.calls.length > 10, 'the tree has calls to compare');
    const got = (await scanner.scanTree(dir)).sites.filter((s) => /^(os|syscall)\.(?!Expand)/.test(s.api));
    const key = (s: { file: string; line: number; kind: string; api: string }) => `${s.file}:${s.line} ${s.kind} ${s.api}`;
    const count = (list: string[]) => list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
    const dot = new Set(want.dotImports);
    assert.deepEqual(count(got.filter((s) => !dot.has(s.file)).map(key)), count(want.calls.map(key)));
    for (const c of want.calls) {
      if (c.key === null) continue;
      assert.ok(got.some((s) => key(s) === key(c) && s.key === c.key), `${key(c)} has key ${c.key}`);
    }
  });
}
