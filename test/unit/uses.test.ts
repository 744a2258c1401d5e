import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe as suite, test } from 'node:test';
import { createScanner, loadGoLanguage, newGoParser, type Scanner } from '../../server/src/scan/index';
import { loadTree } from '../../server/src/scan/walk';
import { scanWithUses, indexUses, type ScanJson } from '../../server/src/cli/scanUses';
import { aroundVerb, dsnPart } from '../../server/src/uses/dsn';
import { usesOf } from '../../server/src/uses/index';
import { envGraph, graphPackages } from '../../server/src/uses/graph';

const repo = join(__dirname, '..', '..', '..');
const fixture = join(repo, 'test', 'fixtures', 'uses');

function goFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? goFiles(p) : n.endsWith('.go') ? [p] : [];
  });
}

/** `/*> KEY KIND API [part=P] [err=yes|no]*\/` markers: `line:column KEY KIND API …` (`+` in a marker is a space). */
function expectedUses(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, row) => {
    const run: string[] = [];
    const re = /\/\*> (.*?)\*\//g;
    let end = -1;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (end >= 0 && m.index !== end) {
        out.push(...run.map((r) => `${row + 1}:${end + 1} ${r}`));
        run.length = 0;
      }
      run.push(m[1].trim().replace(/\+/g, ' '));
      end = m.index + m[0].length;
    }
    out.push(...run.map((r) => `${row + 1}:${end + 1} ${r}`));
  });
  return out.sort();
}

suite('uses of env values in fixture services (Gin + sqlx, Echo + pgx, net/http + database/sql + slog)', () => {
  let scanner: Scanner;
  let json: ScanJson;
  before(async () => {
    scanner = await createScanner();
    const index = scanner.createIndex(fixture);
    await loadTree(index);
    json = await scanWithUses(index, { root: fixture, files: 0, sites: index.allSites() });
  });

  for (const path of goFiles(fixture)) {
    const rel = relative(fixture, path).split('\\').join('/');
    test(`${rel}: every use has its marker and every marker its use`, () => {
      const text = readFileSync(path, 'utf8');
      const got = json.sites.flatMap((s) =>
        (s.uses ?? []).filter((u) => u.file === rel).map((u) => {
          let d = `${u.line}:${u.column} ${s.key} ${u.kind} ${u.api}`;
          if (u.part && u.kind !== 'file' && u.kind !== 'output' && u.kind !== 'mode' && u.kind !== 'flag') d += ` part=${u.part}`;
          if (u.errorChecked !== undefined) d += ` err=${u.errorChecked ? 'yes' : 'no'}`;
          return d;
        }),
      );
      assert.deepEqual([...new Set(got)].sort(), expectedUses(text));
    });
    test(`${rel}: keys have the stated role and risk`, () => {
      const text = readFileSync(path, 'utf8');
      for (const m of text.matchAll(/^\/\/ key (\S+) role=(\S+) risk=(\S+)$/gm)) {
        const k = json.keys[m[1]];
        assert.ok(k, `${m[1]} is a key`);
        assert.deepEqual({ key: m[1], role: k.role, risk: k.risk }, { key: m[1], role: m[2], risk: m[3] }, k.reasons.join('; '));
      }
    });
  }

  test('a secret printed with log.Printf is critical; a checked password only used in a DSN is not', () => {
    assert.equal(json.keys.API_KEY.risk, 'critical');
    assert.match(json.keys.API_KEY.reasons[0], /^R1 secret-to-output: API_KEY reaches log\.Printf \(ginapi\/main\.go:31\)$/);
    assert.equal(json.keys.POSTGRES_PASSWORD.role, 'credential');
    assert.equal(json.keys.POSTGRES_PASSWORD.risk, 'low');
    assert.equal(json.keys.DB_PASS.risk, 'high');
    assert.match(json.keys.DB_PASS.reasons[0], /^R2 unchecked-credential: DB_PASS is used as password → sqlx\.Connect \(ginapi\/main\.go:24\)/);
  });

  test('only read sites get uses; other fields are as scan printed them', async () => {
    const index = scanner.createIndex(fixture);
    await loadTree(index);
    const plain = index.allSites();
    assert.deepEqual(json.sites.map(({ uses: _u, ...s }) => s), plain);
    assert.ok(json.sites.every((s) => (s.kind === 'read') === Array.isArray(s.uses)));
  });
});

test('DSN parts from the text around a value', () => {
  const part = (format: string, k: number) => {
    const a = aroundVerb(format, k);
    return a && dsnPart(a.before, a.after);
  };
  assert.deepEqual([0, 1, 2, 3].map((k) => part('%s:%s@tcp(%s)/%s', k)), ['user', 'password', 'host', 'name']);
  assert.deepEqual([0, 1, 2, 3, 4].map((k) => part('postgres://%s:%s@%s:%d/%s?sslmode=disable', k)), ['user', 'password', 'host', 'port', 'name']);
  assert.deepEqual([0, 1, 2].map((k) => part('host=%s user=%s password=%s', k)), ['host', 'user', 'password']);
  assert.equal(part('100%% %s', 0), null);
});

test('an empty file list and sites of files that are gone give no uses and no throw', async () => {
  const parser = newGoParser(await loadGoLanguage());
  const site = { file: 'gone.go', line: 1, column: 1, endLine: 1, endColumn: 5, kind: 'read' as const, key: 'K', pattern: null, api: 'os.Getenv', default: null, function: null, test: false };
  const r = usesOf(parser, [], [site]);
  assert.deepEqual(r.siteUses, [[]]);
  assert.deepEqual(r.keys.K, { role: 'unknown', risk: 'unknown', reasons: [] });
  parser.delete();
});

const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
for (const dir of ['os', 'net', 'cmd/go']) {
  test(`GOROOT/src/${dir}: the analysis follows every read site without failing`, async () => {
    const scanner = await createScanner();
    const index = scanner.createIndex(join(goroot, 'src', dir));
    await loadTree(index);
    const report = await indexUses(index);
    assert.equal(report.stats.failures, 0);
    assert.equal(report.siteUses.length, index.allSites().length);
    assert.ok(report.siteUses.some((u) => u && u.length > 0), 'some read site has a use');
  });
}

test('the dependency graph: keys → functions → sinks, coloured by risk, per package', async () => {
  const scanner = await createScanner();
  const index = scanner.createIndex(fixture);
  await loadTree(index);
  const sites = index.allSites();
  const report = await indexUses(index, sites);
  const g = envGraph(sites, report.siteUses, report.keys, 'ginapi');
  const node = (id: string) => g.nodes.find((n) => n.id === id);
  assert.deepEqual({ ...node('key:DB_PASS'), reasons: undefined }, { id: 'key:DB_PASS', kind: 'key', label: 'DB_PASS', risk: 'high', role: 'credential', reasons: undefined, file: 'ginapi/main.go', line: 17, column: 10 });
  assert.equal(node('fn:ginapi:main.main')?.risk, 'critical');
  const sink = g.nodes.find((n) => n.kind === 'sink' && n.label === 'log.Printf');
  assert.deepEqual([sink?.sink, sink?.risk, sink?.line], ['output', 'critical', 31]);
  assert.ok(g.edges.some((e) => e.from === 'key:DB_PASS' && e.to === 'fn:ginapi:main.main'));
  assert.ok(g.nodes.every((n) => n.file.startsWith('ginapi/')), 'only the ginapi package');
  const all = envGraph(sites, report.siteUses, report.keys);
  assert.ok(all.nodes.some((n) => n.id === 'key:LISTEN_ADDR') && all.nodes.length > g.nodes.length);
  // Each package main has its main.main; edges carry the highest risk of the keys along them.
  assert.ok(all.nodes.some((n) => n.id === 'fn:echoapi:main.main') && all.nodes.some((n) => n.id === 'fn:ginapi:main.main'));
  assert.equal(all.edges.find((e) => e.from === 'fn:ginapi:main.main' && e.to === sink?.id)?.risk, 'critical');
  const connect = g.nodes.find((n) => n.kind === 'sink' && n.label.startsWith('sqlx.Connect'));
  assert.equal(connect?.label, 'sqlx.Connect (user, password, host)');
  assert.deepEqual(graphPackages(sites, report.siteUses), ['echoapi', 'ginapi', 'stdapi', 'stdapi/config']);
});
