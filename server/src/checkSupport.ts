/**
 * The language server's `envtrace check` (issue 14, "In the editor"): per workspace folder,
 * loads the same inputs the CLI does — the folder's scan, `.env.example`/`.sample`/`.dist`,
 * `envtrace.json`, and the runs the server shows — calls the engine's runCheck, and
 * publishes the findings as diagnostics; answers their quick fixes. Re-runs (debounced) when
 * server.ts says something changed. A config the engine rejects is one error on that file.
 */
import { join, sep } from 'node:path';
import type { CodeAction, CodeActionParams, Diagnostic } from 'vscode-languageserver/node';
import { runCheck } from './check/check';
import { readEnvFiles, templateEnvFiles } from './check/envFiles';
import { readRegularSync } from './files/readRegular';
import { MAX_GO_FILE } from './scan/readGo';
import { CheckInputError } from './check/config';
import { DECLARING_FILES, type DeclaringText } from './check/declared';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import { CONFIG_FILE, checkCodeActions } from './features/checkActions';
import { checkDiagnostics, configDiagnostic } from './features/checkDiagnostics';
import { listRuns, type StoredRun } from './runs/store';
import { loadGoLanguage } from './scan/index';
import type { Site } from './scan/types';
import { canonicalUri, pathToUri, uriToPath } from './workspace/files';
import type { RunsManager } from './workspace/runs';
import type { SettingsCache } from './workspace/settings';
import type { Workspace } from './workspace/workspace';

/** How long a burst of changes is let settle before the rules run again. */
const DEBOUNCE_MS = 300;

/** What the check layer needs from the server. */
export interface CheckHost {
  workspace: Workspace;
  runs: RunsManager;
  settings: () => SettingsCache;
  diagnostics: DiagnosticsPublisher;
  /** The text of an open document (canonical URI), or undefined. */
  openText(uri: string): string | undefined;
  log(m: string): void;
}

/** Files that feed the check besides Go files: a change to one re-runs it. */
export const CHECK_WATCHERS = [{ globPattern: `**/${CONFIG_FILE}` }];

/** The check's diagnostics and quick fixes for every folder. */
export class CheckSupport {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  /** The sites of each folder at the last check (for the defaults quick fixes write). */
  private readonly sites = new Map<string, Site[]>();

  constructor(private readonly host: CheckHost) {}

  /** Runs the rules again once changes settle. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.running.then(() => this.checkAll()).catch((e: unknown) => this.host.log(`envtrace: check failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    }, DEBOUNCE_MS);
    this.timer.unref?.();
  }

  /** Stops a pending run (shutdown). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Text of a folder-relative file: the open document's, else the disk's; null when missing or
   * not safe to read (a FIFO, a device, a symlink out of the folder, over the Go file cap).
   */
  private textOf(root: string, file: string): string | null {
    const path = join(root, ...file.split('/'));
    const open = this.host.openText(canonicalUri(pathToUri(path)));
    if (open !== undefined) return open;
    try {
      return readRegularSync(path, { within: root, maxBytes: MAX_GO_FILE }).toString('utf8');
    } catch {
      return null;
    }
  }

  /**
   * The stored runs a folder shows, once the folder's runs are loaded: the run rules read each
   * run again, and a big run's reading beside the load of the shown runs held back the lenses
   * (1M events: shown after 8.6 s instead of 2 s).
   */
  private async shownRuns(folderUri: string): Promise<StoredRun[]> {
    const f = this.host.runs.get(folderUri)[0];
    if (!f) return [];
    await f.busy;
    const shown = new Set((await f.shown.list().catch(() => [])).filter((c) => c.shown).map((c) => c.id));
    return (await listRuns(f.storeDir).catch(() => [])).filter((r) => shown.has(r.info.id));
  }

  private async checkAll(): Promise<void> {
    const { workspace } = this.host;
    await workspace.ready();
    const byUri = new Map<string, Diagnostic[]>();
    for (const folderUri of workspace.folderUris()) {
      const scan = workspace.folderSites(folderUri);
      if (scan === null || !(await this.host.settings().get(folderUri)).checkEnabled) continue;
      this.sites.set(folderUri, scan.sites);
      let found: Map<string, Diagnostic[]>;
      try {
        found = await this.checkFolder(folderUri, scan.root, scan.sites);
      } catch (e) {
        // One folder's failure (an unreadable run, a bug) leaves the other folders' findings.
        this.host.log(`envtrace: check of ${scan.root} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        continue;
      }
      for (const [file, list] of found) byUri.set(canonicalUri(pathToUri(join(scan.root, ...file.split('/')))), list);
    }
    for (const uri of this.sites.keys()) if (!workspace.folderUris().includes(uri)) this.sites.delete(uri);
    this.host.diagnostics.replace('check', byUri);
  }

  /** The diagnostics of one folder by relative file. */
  private async checkFolder(folderUri: string, root: string, sites: Site[]): Promise<Map<string, Diagnostic[]>> {
    const read = (file: string) => this.textOf(root, file);
    const dotenvs: DeclaringText[] = [];
    for (const file of DECLARING_FILES) {
      const text = read(file);
      if (text !== null) dotenvs.push({ file, text });
    }
    const configText = read(CONFIG_FILE);
    try {
      const result = await runCheck({
        root,
        sites,
        readSource: read,
        language: await loadGoLanguage(),
        dotenvs,
        config: configText === null ? null : { file: CONFIG_FILE, text: configText },
        runs: await this.shownRuns(folderUri),
        // The server runs no program, so it cannot ask git which .env files are committed.
        committedEnvFiles: readEnvFiles(root, templateEnvFiles(root)),
      });
      return checkDiagnostics(result, (file) => read(file)?.split(/\r?\n/) ?? null);
    } catch (e) {
      if (!(e instanceof CheckInputError)) throw e;
      return new Map([[CONFIG_FILE, [configDiagnostic(e.message)]]]);
    }
  }

  /** The quick fixes for the check diagnostics of a code action request. */
  codeActions(p: CodeActionParams): CodeAction[] {
    const uri = canonicalUri(p.textDocument.uri);
    const folder = this.host.workspace.folderOf(uri);
    const path = uriToPath(uri);
    if (!folder || path === null) return [];
    const file = path.slice(folder.root.length + 1).split(sep).join('/');
    const text = this.textOf(folder.root, file);
    if (text === null) return [];
    const sites = this.sites.get(folder.uri) ?? [];
    return checkCodeActions(p.context.diagnostics, {
      file,
      uri: p.textDocument.uri,
      text,
      uriOf: (f) => pathToUri(join(folder.root, ...f.split('/'))),
      textOf: (f) => this.textOf(folder.root, f),
      secretPatterns: [],
      defaultOf: (key) => sites.find((s) => s.key === key && s.kind === 'read' && !s.test && s.default !== null)?.default ?? null,
    });
  }
}
