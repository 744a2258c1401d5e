/// <reference types="mocha" />
// Issue 18 items 5, 8, 11, 12 and 14 as the user sees them in the editor.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, lensTitles, runDir, storedRuns, traceRun, waitFor, workspaceRoot } from '../helpers';

const FEATURES = `package main

import "os"

// features reads one variable per feature flag: a pattern site (FEATURE_*).
func features() {
	for _, f := range []string{"A", "B"} {
		_ = os.Getenv("FEATURE_" + f)
	}
}

func init() { features() }
`;

describe('the editor after runs: lenses, the Environment view, export', () => {
  let fullRun = '';
  const features = () => path.join(workspaceRoot(), 'features.go');

  before(async () => {
    await activate();
    fs.writeFileSync(features(), FEATURES);
    const known = new Set(storedRuns());
    assert.equal((await traceRun(['go', 'run', '.'], { PORT: '9090', FEATURE_A: 'on' })).exitCode, 0);
    fullRun = storedRuns().find((d) => !known.has(d)) ?? '';
    assert.ok(fullRun);
  });
  after(async () => {
    fs.rmSync(features(), { force: true });
    await vscode.commands.executeCommand('envtrace.refresh');
  });

  it('a pattern key shows the keys it matched, with unset badges; process keys show their value and open the site', async () => {
    const api = await activate();
    const pattern = await waitFor('the FEATURE_* key with its matched keys', async () =>
      (await api.viewItems('Keys')).find((k) => k.label === 'FEATURE_*' && k.description.includes('matched')),
    );
    assert.match(pattern.description, /2 keys matched · unset/);
    const matched = await api.viewItems('Keys', 'FEATURE_*');
    const a = matched.find((m) => m.label === 'FEATURE_A');
    assert.equal(a?.description, '= "on"');
    assert.equal(a?.command, 'envtrace.openSite');
    assert.match(matched.find((m) => m.label === 'FEATURE_B')?.description ?? '', /unset/);

    const run = (await api.viewItems('Runs'))[0];
    const proc = (await api.viewItems('Runs', run.label))[0];
    const keys = await api.viewItems('Runs', run.label, proc.label);
    const port = keys.find((k) => k.label === 'PORT');
    assert.equal(port?.description, '= "9090"');
    assert.equal(port?.command, 'envtrace.openSite');
  });

  it('after tracing only the tests, main.go falls back to the earlier full run, and the helper names each key', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'main_test.go'));
    assert.deepEqual(await vscode.commands.executeCommand('envtrace.tracePackageTests', uri), { exitCode: 0, cancelled: false });
    const db = await waitFor('the DATABASE_URL lens from the earlier run', async () => {
      const t = await lensTitles('main.go', 'os.Getenv("DATABASE_URL")');
      return t.find((x) => x.includes('from an earlier run'));
    });
    assert.match(db, /^DATABASE_URL unset · from an earlier run \(.*go run \..*\)$/);
    // The test run read PORT (t.Setenv "9090") and APP_REGION (unset) through getenv(key).
    const helper = await waitFor('the helper lens with each key', async () => {
      const t = await lensTitles('main.go', 'os.LookupEnv(key)');
      return t.find((x) => x.includes('APP_REGION'));
    });
    assert.match(helper, /^(PORT = "9090", APP_REGION unset|APP_REGION unset, PORT = "9090") · \d+ reads · 1 process$/);
  });

  it('test lenses say "trace test"', async () => {
    assert.deepEqual(await lensTitles('main_test.go', 'func TestPort'), ['trace test']);
  });

  it('export says where it wrote, opens the file, and links relative to it', async () => {
    const api = await activate();
    const target = path.join(workspaceRoot(), 'ENVIRONMENT.md');
    try {
      await vscode.commands.executeCommand('envtrace.export', 'markdown', target, runDir(fullRun));
      assert.match(api.lastNotice(), /exported the Markdown inventory to ENVIRONMENT\.md/);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target);
      const md = fs.readFileSync(target, 'utf8');
      assert.match(md, /\]\(main\.go#L\d+\)/);
      assert.ok(!md.includes('file://'), 'no absolute links');
      assert.ok(!/\b1 reads\b/.test(md));
      // FEATURE_A and FEATURE_B are the pattern's keys, not keys of their own.
      assert.match(md, /\| `FEATURE_\*` \|.*\| 2 keys: FEATURE\\_A, FEATURE\\_B unset \|/);
      assert.ok(!md.includes('## FEATURE\\_A'), 'no section of its own');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(target, { force: true });
    }
  });
});
