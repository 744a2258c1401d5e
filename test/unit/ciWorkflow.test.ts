// examples/ci/github-workflow.yml parses as YAML (js-yaml, already in node_modules) and holds
// the recipe README's "envtrace check" section promises; its envtrace commands parse as CLI input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

// js-yaml has no types here: the one function used is declared.
const yaml = require('js-yaml') as { load(text: string): unknown };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

const repo = join(__dirname, '..', '..', '..');

test('the example GitHub workflow traces the tests, checks, uploads SARIF and keeps the run', () => {
  const wf = yaml.load(readFileSync(join(repo, 'examples', 'ci', 'github-workflow.yml'), 'utf8')) as {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
  };
  assert.deepEqual(Object.keys(wf.on), ['push', 'pull_request']);
  assert.equal(wf.permissions['security-events'], 'write');
  const steps = wf.jobs.envtrace.steps;
  const runs = steps.map((s) => s.run ?? '');
  const index = (re: RegExp) => runs.findIndex((r) => re.test(r));
  const traced = index(/^npx --no-install envtrace -- go test \.\/\.\.\.$/);
  const check = index(/envtrace check --run latest .*--format github$/);
  const sarif = index(/envtrace check --run latest .*--format sarif > envtrace\.sarif/);
  assert.ok(traced > 0 && check > traced && sarif > traced, runs.join('\n'));
  assert.match(runs[check], /\$\{BASE:\+--baseline "origin\/\$BASE"\}/);
  assert.equal(steps[check].env?.BASE, '${{ github.base_ref }}');
  const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
  assert.equal(upload?.with?.sarif_file, 'envtrace.sarif');
  const artifact = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
  assert.equal(artifact?.with?.path, '.envtrace/runs');
  assert.equal(artifact?.with?.['include-hidden-files'], true);
  // Steps after the tests run even when the tests or the gate failed.
  for (const s of steps.slice(traced + 1)) assert.equal(s.if?.startsWith('always()'), true, s.name ?? s.uses);
  // Never a bare `npx envtrace`, which would download whatever the registry holds under that name.
  assert.ok(runs.filter((r) => /\bnpx\b/.test(r)).every((r) => r.includes('npx --no-install envtrace')));
});
