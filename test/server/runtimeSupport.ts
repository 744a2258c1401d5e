/** Shared by the runtime server tests: a temporary copy of the merge fixture workspace and LSP readers. */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeLens, Diagnostic, Hover, InlayHint } from 'vscode-languageserver-protocol';
import { RunsChangedNotification } from '../../server/src/protocol';
import { hoverMarkdown, titlesByLine } from './assertions';
import { LspClient, positionOf, removeDir, repoRoot, uriOf } from './lspClient';

/** test/fixtures/merge: app/ (the workspace), lib/, runs/ and reports/ recorded by record.mjs. */
export const mergeFixtures = join(repoRoot, 'test', 'fixtures', 'merge');

/** Copies app/ and lib/ into a temp dir, with the named recorded runs in app/.envtrace/runs; returns app's path. */
export function mergeWorkspace(runs: string[]): string {
  const base = mkdtempSync(join(tmpdir(), 'envtrace-runtime-'));
  cpSync(join(mergeFixtures, 'app'), join(base, 'app'), { recursive: true });
  cpSync(join(mergeFixtures, 'lib'), join(base, 'lib'), { recursive: true });
  for (const r of runs) addRun(join(base, 'app'), r);
  return join(base, 'app');
}

/** Copies recorded run `name` into the workspace's store (as runs/<name>); returns its directory. */
export function addRun(app: string, name: string, as = name): string {
  const dir = join(app, '.envtrace', 'runs', as);
  cpSync(join(mergeFixtures, 'runs', name), dir, { recursive: true });
  return dir;
}

/** LSP reads of one workspace through a client. */
export class Views {
  /** Every result the server returned through these views (to search for leaked secrets). */
  readonly responses: string[] = [];

  constructor(
    readonly client: LspClient,
    readonly app: string,
  ) {}

  /** Text of a workspace file. */
  text(rel: string): string {
    return readFileSync(join(this.app, rel), 'utf8');
  }

  /** 0-based line of the first occurrence of `needle` in a file. */
  line(rel: string, needle: string): number {
    return positionOf(this.text(rel), needle).line;
  }

  /** Lens titles of a file by 0-based line. */
  async lenses(rel: string): Promise<Map<number, string>> {
    const lenses = await this.client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(join(this.app, rel)) } });
    this.responses.push(JSON.stringify(lenses));
    return titlesByLine(lenses);
  }

  /** The lens title of the line holding `needle`. */
  async lens(rel: string, needle: string): Promise<string | undefined> {
    return (await this.lenses(rel)).get(this.line(rel, needle));
  }

  /** Hover markdown at `needle` (+offset) in a file. */
  async hover(rel: string, needle: string, offset = 1): Promise<string> {
    const h = await this.client.request<Hover>('textDocument/hover', { textDocument: { uri: uriOf(join(this.app, rel)) }, position: positionOf(this.text(rel), needle, offset) });
    this.responses.push(JSON.stringify(h));
    return hoverMarkdown(h);
  }

  /** Inlay hint labels of a file by 0-based line. */
  async hints(rel: string): Promise<Map<number, string>> {
    const hints = await this.client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: uriOf(join(this.app, rel)) },
      range: { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } },
    });
    this.responses.push(JSON.stringify(hints));
    return new Map(hints.map((h) => [h.position.line, typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')]));
  }

  /** The latest diagnostics the server pushed for a file. */
  diagnostics(rel: string): Diagnostic[] {
    const uri = uriOf(join(this.app, rel));
    const all = this.client.received.filter((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri);
    return all.length ? (all[all.length - 1].params as { diagnostics: Diagnostic[] }).diagnostics : [];
  }

  /** Number of envtrace/runsChanged notifications so far. */
  runsChanged(): number {
    return this.client.received.filter((m) => m.method === RunsChangedNotification.method).length;
  }

  /** Waits until the server pushed diagnostics for `rel` that satisfy `cond`. */
  async waitDiagnostics(rel: string, cond: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    await this.client.waitFor(() => cond(this.diagnostics(rel)), `diagnostics of ${rel}`);
    return this.diagnostics(rel);
  }
}

/** A language server over a merge workspace holding the named runs, indexed; `stop()` ends it and removes the workspace. */
export async function serveMergeWorkspace(runs: string[], settings?: Record<string, unknown>): Promise<{ app: string; client: LspClient; v: Views; stop: () => Promise<number | null> }> {
  const app = mergeWorkspace(runs);
  const client = LspClient.start('server');
  if (settings) client.settings = settings;
  const v = new Views(client, app);
  await client.initialize(app);
  await client.indexed();
  const stop = async () => {
    const code = await client.stop();
    removeDir(join(app, '..'));
    return code;
  };
  return { app, client, v, stop };
}
