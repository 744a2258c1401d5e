// Config libraries at run time (issue 6): programs using caarlos0/env and kelseyhightower/envconfig
// (test/fixtures/libs, modules downloaded by scripts/download-go-modules.sh) run under the real
// tracer; their reads land on the struct-field sites of their keys through the merge engine, and
// the language server shows them on `.env` keys and warns about a required key defined nowhere.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeLens, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { loadObservations } from '../../server/src/analysis/loadObservations';
import { mergeContext, observationsForFile, type SiteObservation } from '../../server/src/analysis/merge';
import { scanTree } from '../../server/src/scan/index';
import type { Site } from '../../server/src/scan/types';
import { titlesByLine } from '../server/assertions';
import { LspClient, uriOf } from '../server/lspClient';

const repo = resolve(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'envtrace-libs-'));
const app = join(work, 'libs');
cpSync(join(repo, 'test', 'fixtures', 'libs'), app, { recursive: true });
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs `envtrace -- go run ./<pkg>` in the copy of the fixture module; returns the new run's directory. */
function record(env: Record<string, string>, pkg: string): string {
  return recordWithOutput(env, pkg).run;
}

/** As record, with what the program printed. */
function recordWithOutput(env: Record<string, string>, pkg: string): { run: string; stdout: string } {
  const runs = join(app, '.envtrace', 'runs');
  const before = new Set(readdirSafe(runs));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PORT|DATABASE_URL|API_TOKEN|DB_HOST|MYAPP_.*|MANUAL_OVERRIDE)$/.test(k)));
  const r = spawnSync(process.execPath, [cli, '--quiet', '--', 'go', 'run', `./${pkg}`], { cwd: app, env: { ...clean, ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const fresh = readdirSafe(runs).filter((n) => !before.has(n));
  assert.equal(fresh.length, 1);
  return { run: join(runs, fresh[0]), stdout: r.stdout };
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function observe(run: string, file: string): Promise<SiteObservation[]> {
  const sites: Site[] = (await scanTree(app)).sites;
  const ctx = mergeContext(await loadObservations([run]), app, { files: sites.map((s) => s.file) });
  return observationsForFile(ctx, sites.filter((s) => s.file === file));
}

const byKey = (list: SiteObservation[], key: string) => {
  const o = list.find((x) => x.site.key === key);
  assert.ok(o, `a site of ${key} in ${list.map((x) => x.site.key).join(', ')}`);
  return o;
};
const shown = (o: SiteObservation) => o.values.map((v) => (v.unset ? 'unset' : v.redacted ? `redacted:${v.length}` : v.value));

describe('config libraries under the real tracer', () => {
  let caarlosRun: string;
  before(() => {
    caarlosRun = record({ PORT: '9000', DB_HOST: 'db.local', API_TOKEN: 'tok-123456' }, 'caarlos');
  });

  test('caarlos0/env: values of env.Parse land on the tagged fields, envPrefix included, secrets redacted', async () => {
    const list = await observe(caarlosRun, 'caarlos/main.go');
    assert.deepEqual(list.map((o) => `${o.site.key}@${o.site.line}`), ['PORT@12', 'DATABASE_URL@13', 'API_TOKEN@14', 'DB_HOST@20']);
    assert.deepEqual(shown(byKey(list, 'PORT')), ['9000']);
    assert.deepEqual(shown(byKey(list, 'DB_HOST')), ['db.local']);
    assert.deepEqual(shown(byKey(list, 'API_TOKEN')), ['redacted:10']);
    const url = byKey(list, 'DATABASE_URL');
    assert.equal(url.reached, true);
    assert.deepEqual(shown(url), ['unset']);
    assert.deepEqual(url.site.options, ['required']);
  });

  test('envconfig: Process reads land on the fields of PREFIX_NAME, split words and the alternative key', async () => {
    const run = record({ MYAPP_PORT: '7000', MYAPP_MAX_IDLE: '3', MANUAL_OVERRIDE: 'manual', MYAPP_USER: 'bob' }, 'envcfg');
    const list = await observe(run, 'envcfg/main.go');
    assert.deepEqual(shown(byKey(list, 'MYAPP_PORT')), ['7000']);
    assert.deepEqual(shown(byKey(list, 'MYAPP_MAX_IDLE')), ['3']);
    assert.deepEqual(shown(byKey(list, 'MYAPP_DEBUG')), ['unset']);
    assert.deepEqual(shown(byKey(list, 'MYAPP_MANUAL_OVERRIDE')), ['unset']);
    assert.deepEqual(shown(byKey(list, 'MANUAL_OVERRIDE')), ['manual']);
    assert.deepEqual(shown(byKey(list, 'MYAPP_USER')), ['bob']);
    assert.deepEqual(byKey(list, 'MYAPP_USER').site.options, ['required']);
  });

  test('function-local types and the fields the libraries skip: the keys scanned are the keys the libraries read', async () => {
    const { run, stdout } = recordWithOutput({ LK_SRV_0_PORT: '1' }, 'locals');
    const sites = (await scanTree(app)).sites.filter((s) => s.file === 'locals/main.go');
    const scanned = (api: string) => sites.filter((s) => s.api === api).map((s) => s.key ?? `pattern:${s.pattern}`).sort();
    // caarlos0/env: every field is required, so Parse's errors name each key it read; a
    // scanned pattern (a slice element's key) stands for the keys it matches.
    const parsed = [...stdout.matchAll(/required environment variable "([^"]+)" is not set/g)].map((m) => m[1]).sort();
    const asPattern = (k: string) => (k.startsWith('pattern:') ? new RegExp(`^${k.slice(8).split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`) : null);
    const shown = parsed.map((k) => scanned('env tag').find((s) => s === k || asPattern(s)?.test(k)) ?? `not scanned: ${k}`);
    assert.deepEqual([...new Set(shown)].sort(), scanned('env tag'));
    assert.deepEqual(parsed, ['LK_FOO_HOME_DIR', 'LK_N_HTTP_PORT', 'LK_N_MAX_CONNS', 'LK_OUT_B', 'LK_PORT', 'LK_SHORT_A', 'LK_SRV_0_ADDR']);
    // envconfig reads each key with os.LookupEnv: the trace has them all.
    const report = spawnSync(process.execPath, [cli, 'report', '--format', 'json', run], { cwd: app, encoding: 'utf8' });
    assert.equal(report.status, 0, report.stderr);
    const traced = (JSON.parse(report.stdout) as { vars: { key: string; reads: number }[] }).vars.filter((v) => v.reads > 0 && v.key.startsWith('LK_')).map((v) => v.key).sort();
    assert.deepEqual(scanned('envconfig.Process'), traced);
    assert.deepEqual(traced, ['LK_LEVEL', 'LK_LOCAL_INNER_VALUE', 'LK_LOCAL_LEVEL', 'LK_LOCAL_MAX_CONNS']);
  });

  test('the server: a .env key shows the observed value, and a required field defined nowhere and unset is a Warning', async () => {
    writeFileSync(join(app, '.env'), 'PORT=1234\nDB_HOST=from-dotenv\nNOT_READ=1\n');
    record({ PORT: '9000', DB_HOST: 'db.local' }, 'caarlos'); // the newest run is the one shown
    const client = LspClient.start('server');
    try {
      await client.initialize(app);
      await client.indexed();
      const diagnostics = (rel: string): Diagnostic[] | undefined =>
        client.received
          .filter((m) => m.method === 'textDocument/publishDiagnostics')
          .map((m) => m.params as PublishDiagnosticsParams)
          .filter((p) => p.uri === uriOf(join(app, rel)))
          .pop()?.diagnostics;
      // The server sends the Go files' warnings before the .env Hints (NOT_READ).
      await client.waitFor(() => diagnostics('.env') !== undefined, 'diagnostics of .env');
      assert.deepEqual(diagnostics('.env')!.map((d) => d.code), ['envtrace.dotenvUnused']);
      // One publisher: the runtime layer's unset reads and the .env layer's warning, together.
      await client.waitFor(() => (diagnostics('caarlos/main.go') ?? []).length === 3, 'diagnostics of caarlos/main.go');
      const warnings = diagnostics('caarlos/main.go') ?? [];
      assert.deepEqual(warnings.map((d) => [d.range.start.line + 1, d.severity, d.code]), [[13, 3, 'envtrace.unset'], [14, 3, 'envtrace.unset'], [13, 2, 'envtrace.requiredUnset']]);
      const lenses = titlesByLine(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(join(app, '.env')) } }));
      assert.equal(lenses.get(0), 'PORT · read in main.go · observed "9000"');
      assert.equal(lenses.get(1), 'DB_HOST · read in main.go · observed "db.local"');
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
