/// <reference types="mocha" />
// Issue 16, "where they open": the hover of a key at a site links to the key's timeline and
// flame graph, and the status bar's tooltip links to the shown run's pictures. Each link is
// followed as VS Code would (its command with its arguments) and must open that view.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, hoverText, runDir, storedRuns, traceRun, waitFor } from '../helpers';

/** The command links `[text](command:id?args)` of some Markdown, arguments decoded. */
function commandLinks(md: string): { text: string; command: string; args: unknown[] }[] {
  return [...md.matchAll(/\[([^\]]*)\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)].map((m) => ({
    text: m[1],
    command: m[2],
    args: m[3] ? (JSON.parse(decodeURIComponent(m[3])) as unknown[]) : [],
  }));
}

async function follow(link: { command: string; args: unknown[] }): Promise<vscode.WebviewPanel> {
  const panel = await vscode.commands.executeCommand<vscode.WebviewPanel | undefined>(link.command, ...link.args);
  assert.ok(panel, `${link.command} opened no view`);
  return panel;
}

describe('pictures: the hover and the status bar link to the flame graph and the timeline', () => {
  let run = '';

  before(async function () {
    // The first traced build recompiles part of the standard library: slow on a busy machine.
    this.timeout(600_000);
    await activate();
    const known = new Set(storedRuns());
    assert.equal((await traceRun(['go', 'run', '.'], { REGION: 'ap-south-1' })).exitCode, 0);
    run = storedRuns().find((d) => !known.has(d)) ?? '';
    assert.ok(run, 'a new run');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the hover of a read at its site links to "timeline of REGION" and its flame graph, which open limited to the key', async () => {
    const md = await waitFor('a hover with picture links', async () => {
      const h = await hoverText('main.go', 'os.LookupEnv("REGION")', 15);
      return /timeline of REGION/.test(h) ? h : undefined;
    });
    const links = commandLinks(md);
    const timeline = links.find((l) => l.command === 'envtrace.showTimeline');
    const flame = links.find((l) => l.command === 'envtrace.showFlameGraph');
    assert.ok(timeline && flame, md);
    assert.match(timeline.text, /timeline of REGION$/);
    assert.match(flame.text, /flame graph of REGION$/);
    assert.deepEqual(timeline.args, [{ key: 'REGION' }]);
    const tl = await follow(timeline);
    assert.match(tl.title, /^Timeline: .* · REGION$/);
    assert.equal(tl.viewType, 'envtrace.timeline');
    const fg = await follow(flame);
    assert.match(fg.title, /^Flame graph: .* · REGION$/);
  });

  it('the status bar shows the newest run; its tooltip links to that run\'s flame graph, timeline and Compare Runs…', async () => {
    const api = await activate();
    const tooltip = await waitFor('the status bar tooltip of the new run', async () => {
      const t = await api.statusTooltip();
      return t.includes(JSON.stringify(runDir(run)).slice(1, -1)) || t.includes(encodeURIComponent(JSON.stringify([runDir(run)]))) ? t : undefined;
    });
    const links = commandLinks(tooltip);
    assert.deepEqual(
      links.map((l) => l.command),
      ['envtrace.showFlameGraph', 'envtrace.showTimeline', 'envtrace.compareRuns'],
    );
    const flame = await follow(links[0]);
    assert.equal(flame.viewType, 'envtrace.flame');
    assert.deepEqual(links[1].args, [runDir(run)]);
    const timeline = await follow(links[1]);
    assert.equal(timeline.viewType, 'envtrace.timeline');
    assert.doesNotMatch(timeline.title, /·/, 'the whole run, not one key');
  });
});
