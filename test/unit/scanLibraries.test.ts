import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe as suite, test } from 'node:test';
import { createScanner, type ScanResult, type Site } from '../../server/src/scan/index';
import { libraryImports } from '../../server/src/scan/libraryFacts';
import { caarlosTag, envconfigKey, splitWords, tagValue, toEnvName, viperEnvKey } from '../../server/src/scan/libraryKeys';
import { describe, expectedSites, type ExpectedSite } from './scanMarkers';

const repo = join(__dirname, '..', '..', '..');
const fixture = join(repo, 'test', 'fixtures', 'scan', 'libs');

function goFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? goFiles(p) : n.endsWith('.go') ? [p] : [];
  });
}

/** Markers of this fixture: `+` in an api stands for a space, `opts=a,b` states the options. */
function expected(text: string): (ExpectedSite & { options?: string })[] {
  const opts = [...text.matchAll(/\/\*@ (.*?)\*\//g)].map((m) => /(?:^|\s)opts=(\S*)/.exec(m[1])?.[1]);
  return expectedSites(text).map((e, i) => ({ ...e, api: e.api.replace(/\+/g, ' '), ...(opts[i] !== undefined ? { options: opts[i] } : {}) }));
}

function describeWithOptions(s: Site | ExpectedSite, like: ExpectedSite & { options?: string }): string {
  const base = describe(s, like);
  if (like.options === undefined) return base;
  const o = 'options' in s && typeof s.options === 'string' ? s.options : ((s as Site).options ?? []).join(',');
  return `${base} opts=${o}`;
}

suite('scanner on config libraries (caarlos0/env, envconfig, viper, godotenv)', () => {
  let result: ScanResult;
  before(async () => {
    const scanner = await createScanner();
    result = await scanner.scanTree(fixture);
  });

  for (const path of goFiles(fixture)) {
    const rel = relative(fixture, path).split('\\').join('/');
    test(`${rel}: sites match the markers`, () => {
      const want = expected(readFileSync(path, 'utf8'));
      const remaining = result.sites.filter((s) => s.file === rel);
      const got = want.map((e) => {
        const i = remaining.findIndex((s) => s.line === e.line && s.column === e.column && s.kind === e.kind && s.key === e.key && s.pattern === e.pattern && s.api === e.api);
        return i < 0 ? `missing: ${describeWithOptions(e, e)}` : describeWithOptions(remaining.splice(i, 1)[0], e);
      });
      got.push(...remaining.map((s) => `unexpected: ${describe(s)}`));
      assert.deepEqual(got, want.map((e) => describeWithOptions(e, e)));
    });
  }

  test('field sites span the whole field declaration and name no function', () => {
    const port = result.sites.find((s) => s.key === 'PORT' && s.api === 'env tag');
    assert.ok(port);
    assert.equal(port.function, null);
    assert.equal(port.endLine, port.line);
    assert.ok(port.endColumn > port.column + 'Port     int    `env:"PORT" envDefault:"8080"`'.length - 1);
  });

  test('an edit of the file holding envconfig.Process changes the field sites of another file', async () => {
    const scanner = await createScanner();
    const index = scanner.createIndex(fixture);
    for (const p of [...goFiles(fixture), join(fixture, 'go.mod')]) index.setFile(p, readFileSync(p, 'utf8'));
    const spec = join(fixture, 'server_spec.go');
    assert.ok(index.sitesOf(spec).some((s) => s.key === 'MYAPP_SERVER_HOST'));
    const main = join(fixture, 'envconfig.go');
    index.setFile(main, readFileSync(main, 'utf8').replace('MustProcess("myapp"', 'MustProcess("other"'));
    const changed = index.refresh();
    assert.ok(changed.includes(spec), `changed: ${changed.join(', ')}`);
    assert.deepEqual(index.sitesOf(spec).map((s) => s.key), ['OTHER_SERVER_HOST', 'OTHER_SERVER_READ_TIMEOUT']);
  });
});

suite('config library key rules', () => {
  test('struct tags are read like reflect.StructTag', () => {
    assert.equal(tagValue('json:"a,omitempty" env:"PORT" envDefault:"80"', 'envDefault'), '80');
    assert.equal(tagValue('env:"A\\"B"', 'env'), 'A"B');
    assert.equal(tagValue('envx:"A"', 'env'), null);
    assert.equal(tagValue('broken env:"A"', 'env'), null);
    assert.deepEqual(caarlosTag('env:"KEY,required, notEmpty"'), { key: 'KEY', options: ['required', 'notEmpty'] });
    assert.deepEqual(caarlosTag('env:",file"'), { key: '', options: ['file'] });
  });

  test('library imports on one line: `import "…"` is named by its path, not by the keyword', () => {
    const names = (text: string) => [...libraryImports(text)].map(([n, l]) => `${n}=${l}`);
    assert.deepEqual(names('package a\n\nimport "github.com/kelseyhightower/envconfig"\n'), ['envconfig=envconfig']);
    assert.deepEqual(names('package a\nimport cfg "github.com/kelseyhightower/envconfig"\n'), ['cfg=envconfig']);
    assert.deepEqual(names('package a\nimport "github.com/spf13/viper"; import env "github.com/caarlos0/env/v11"\n'), ['viper=viper', 'env=caarlos0']);
    assert.deepEqual(names('package a\nimport (\n\t"github.com/kelseyhightower/envconfig"\n)\n'), ['envconfig=envconfig']);
  });

  test('envconfig names: split_words, the envconfig tag and its alternative', () => {
    assert.equal(splitWords('MaxIdleConns'), 'Max_Idle_Conns');
    assert.equal(splitWords('APIKey'), 'API_Key');
    assert.equal(splitWords('HTTPServerURL'), 'HTTP_Server_URL');
    assert.deepEqual(envconfigKey('app', 'MaxIdle', 'split_words:"true"'), { key: 'APP_MAX_IDLE', alt: '' });
    assert.deepEqual(envconfigKey('app', 'X', 'envconfig:"other_name"'), { key: 'APP_OTHER_NAME', alt: 'OTHER_NAME' });
    assert.deepEqual(envconfigKey('', 'Port', ''), { key: 'PORT', alt: '' });
  });

  test('viper: prefix, upper case, then the key replacer', () => {
    assert.equal(viperEnvKey('db.host', 'app', [['.', '_']]), 'APP_DB_HOST');
    assert.equal(viperEnvKey('db.host', '', []), 'DB.HOST');
    assert.equal(viperEnvKey('a-b.c', 'x', [['-', '_'], ['.', '__']]), 'X_A_B__C');
  });
  test("caarlos0/env's field names as keys (UseFieldNameByDefault): its own TestToEnv table", () => {
    const table: Record<string, string> = { Foo: 'FOO', FooBar: 'FOO_BAR', FOOBar: 'FOO_BAR', Foo____Bar: 'FOO_BAR', fooBar: 'FOO_BAR', Foo_Bar: 'FOO_BAR', Foo__Bar: 'FOO_BAR', HTTPPort: 'HTTP_PORT', SSHPort: 'SSH_PORT', _SSH___Port_: 'SSH_PORT', _PortHTTP: 'PORT_HTTP' };
    for (const [name, key] of Object.entries(table)) assert.equal(toEnvName(name), key, name);
  });
});

suite('config libraries: robustness', () => {
  const SNIPPETS = ['`', '"', 'env:"', '`env:"X,required"`', 'envPrefix:"P_"', ' struct {', '}', '{', 'envconfig.Process(', '&T{}', 'new(', 'viper.BindEnv(', 'viper.SetEnvKeyReplacer(strings.NewReplacer(', 'env.ParseAs[', ']', 'godotenv.Load(', '\n', 'type ', '*', ','];
  test('random edits of the library fixture never make the index throw', async () => {
    const scanner = await createScanner();
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const files = goFiles(fixture);
    const index = scanner.createIndex(fixture);
    index.setFile(join(fixture, 'go.mod'), readFileSync(join(fixture, 'go.mod'), 'utf8'));
    const texts = new Map(files.map((p) => [p, readFileSync(p, 'utf8')]));
    for (const [p, t] of texts) index.setFile(p, t);
    let sites = 0;
    for (let round = 0; round < 300; round++) {
      const p = files[rnd(files.length)];
      let t = texts.get(p)!;
      const at = rnd(t.length + 1);
      t = rnd(2) ? t.slice(0, at) + SNIPPETS[rnd(SNIPPETS.length)] + t.slice(at) : t.slice(0, at) + t.slice(at + 1 + rnd(80));
      texts.set(p, t);
      index.setFile(p, t);
      index.refresh();
      sites = index.allSites().length;
    }
    assert.ok(sites >= 0);
    assert.equal(index.stats.failures, 0);
  });
});
