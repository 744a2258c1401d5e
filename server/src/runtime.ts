/**
 * The runtime half of the server: the shown runs of every folder (loaded, watched,
 * reloaded when they change), the custom run messages, and pushing diagnostics, code
 * lens and inlay hint refreshes when runs or files change. Handlers stay thin: the engine
 * (analysis/) and the feature functions do the work.
 */
import { existsSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import {
  CodeLensRefreshRequest,
  ErrorCodes,
  InlayHintRefreshRequest,
  ResponseError,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { diffRuns } from './analysis/diff';
import { diffServices, loadServices } from './analysis/fleetDiff';
import { fleetGroups } from './runs/fleetGroups';
import { renderDiffText, renderServicesText } from './analysis/diffText';
import { addRun, parseRunsShown, RunSourceError } from './analysis/loadObservations';
import { ObservationsBuilder } from './analysis/observations';
import { diagnostics } from './features/diagnostics';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import { inlayHints } from './features/inlayHints';
import type { SiteAnnotator } from './features/model';
import { libraryLenses, runtimeAnnotator, type SiteObservations } from './features/runtime';
import type { CodeLens } from 'vscode-languageserver/node';
import {
  DiffRequest,
  ImportRunRequest,
  RunsChangedNotification,
  RunsRequest,
  ShowRunsRequest,
  type DiffParams,
  type ImportRunParams,
  type RunSummary,
  type ShowRunsParams,
} from './protocol';
import { canonicalUri, uriToPath } from './workspace/files';
import { ObservedSites } from './workspace/observed';
import { runCounts, RunsManager, runPath, storeDirFor, type FolderRuns } from './workspace/runs';
import type { SettingsCache } from './workspace/settings';
import type { Workspace } from './workspace/workspace';

/** What the runtime layer needs from the server. */
export interface RuntimeHost {
  connection: Connection;
  workspace: Workspace;
  settings: () => SettingsCache;
  caps: () => ClientCapabilities;
  log: (m: string) => void;
  /** Sends the diagnostics (merged with the `.env` layer's). */
  diagnostics: DiagnosticsPublisher;
  /** Called after a folder's shown runs changed. */
  runsChanged?: () => void;
}

/** The runtime layer: call `configure()` when folders or settings change, `filesChanged` on watched files. */
export class Runtime {
  readonly runs: RunsManager;
  readonly observed: ObservedSites;
  readonly observe: SiteObservations;
  readonly annotator: SiteAnnotator;
  private configured: Promise<void> = Promise.resolve();
  private diagnosticsQueued = false;
  private lastGeneration = -1;
  private lastIdent: unknown[] = [];

  constructor(private readonly host: RuntimeHost) {
    const { workspace } = host;
    this.runs = new RunsManager(host.log, (f) => this.runsChanged(f));
    this.observed = new ObservedSites(workspace.index, (uri) => {
      const folder = workspace.folderOf(uri);
      return folder && { uri: folder.uri, root: folder.root, obs: this.runs.observations(folder.uri), earlier: this.runs.earlier(folder.uri), files: () => folder.scan.files() };
    });
    this.observe = (e) => this.observed.site(e);
    this.annotator = runtimeAnnotator(this.observe);
  }

  /** Resolves when the runs of every folder configured so far are loaded. */
  ready(): Promise<void> {
    return this.configured;
  }

  /** (Re)reads each folder's settings and loads its shown runs; forgets removed folders. */
  configure(): Promise<void> {
    const run = async () => {
      const { workspace, settings, caps } = this.host;
      const uris = workspace.folderUris();
      for (const f of this.runs.get()) if (!uris.includes(f.uri)) this.runs.remove(f.uri);
      await Promise.all(
        uris.map(async (uri) => {
          const root = uriToPath(uri);
          if (root === null) return;
          const s = await settings().get(uri);
          const store = storeDirFor(root, s.runsDirectory);
          const rel = relative(root, store);
          const inside = !rel.startsWith('..') && !isAbsolute(rel);
          const fsWatch = !caps().workspace?.didChangeWatchedFiles?.dynamicRegistration || !inside;
          await this.runs.configure(uri, root, store, s.runsShow, fsWatch);
        }),
      );
    };
    this.configured = this.configured.then(run, run).catch((e) => this.host.log(`envtrace: loading runs failed: ${String(e)}`));
    return this.configured;
  }

  /** Lenses on the document's lines where a library read env (none without runs). */
  libraryLenses(uri: string): CodeLens[] {
    const lines = new Set(this.host.workspace.index.sitesIn(uri).map((e) => e.range.start.line));
    return libraryLenses(this.observed.libraryCalls(uri), lines);
  }

  /** Watched files changed: reloads the runs when some lie in a run store. */
  filesChanged(uris: readonly string[]): void {
    if (uris.some((u) => {
      const p = uriToPath(u);
      return p !== null && this.runs.isStorePath(p);
    })) void this.runs.refresh();
  }

  /** Binds the custom run requests. */
  bind(): void {
    const { connection } = this.host;
    connection.onRequest(RunsRequest.type, async (p) => ({ runs: await this.summaries(p?.folderUri) }));
    connection.onRequest(ShowRunsRequest.type, (p) => this.showRuns(p ?? {}));
    connection.onRequest(ImportRunRequest.type, (p) => this.importRun(p));
    connection.onRequest(DiffRequest.type, (p) => this.diff(p));
    connection.languages.inlayHint.on(async (p) => {
      await this.host.workspace.ready();
      await this.ready();
      if (!(await this.host.settings().get(p.textDocument.uri)).inlayHintsEnabled) return [];
      try {
        return inlayHints(this.host.workspace.index, canonicalUri(p.textDocument.uri), p.range, this.observe);
      } catch (e) {
        this.host.log(`envtrace: inlayHint failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return [];
      }
    });
  }

  private folders(folderUri: string | undefined): FolderRuns[] {
    return this.runs.get(folderUri === undefined ? undefined : canonicalUri(folderUri));
  }

  private first(folderUri: string | undefined): FolderRuns {
    const f = this.folders(folderUri)[0];
    if (!f) throw new ResponseError(ErrorCodes.InvalidParams, folderUri ? `${folderUri} is not a workspace folder` : 'no workspace folder is open');
    return f;
  }

  private async summaries(folderUri: string | undefined): Promise<RunSummary[]> {
    await this.ready();
    const out: RunSummary[] = [];
    for (const f of this.folders(folderUri)) out.push(...(await this.runs.summaries(f)));
    return out;
  }

  private async showRuns(p: ShowRunsParams): Promise<{ runs: RunSummary[] }> {
    await this.ready();
    const mode = p.mode === undefined ? undefined : parseRunsShown(p.mode);
    for (const f of this.folders(p.folderUri)) await this.runs.choose(f, p.ids, mode);
    return { runs: await this.summaries(p.folderUri) };
  }

  private async importRun(p: ImportRunParams): Promise<{ run: RunSummary }> {
    await this.ready();
    if (typeof p?.path !== 'string' || !p.path) throw new ResponseError(ErrorCodes.InvalidParams, 'importRun needs a path');
    const f = this.first(p.folderUri);
    try {
      return { run: await this.runs.importRun(f, p.path) };
    } catch (e) {
      throw new ResponseError(ErrorCodes.InvalidParams, e instanceof Error ? e.message : String(e));
    }
  }

  private async diff(p: DiffParams) {
    await this.ready();
    if (typeof p?.a !== 'string' || typeof p?.b !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'diff needs two runs, a and b');
    const f = this.first(p.folderUri);
    const pathOf = (spec: string) => {
      const byId = runPath(f, spec);
      return existsSync(byId) ? byId : runPath(f, `./${spec}`);
    };
    const load = async (spec: string) => {
      const path = pathOf(spec);
      const builder = new ObservationsBuilder();
      try {
        await addRun(builder, path, {}, true);
      } catch (e) {
        const msg = e instanceof RunSourceError ? e.message : String(e);
        throw new ResponseError(ErrorCodes.InvalidParams, `run "${spec}": ${msg}`);
      }
      return builder.obs;
    };
    const [a, b] = [await load(p.a), await load(p.b)];
    const sites = this.host.workspace.entries(f.uri).map((e) => e.site);
    const diff = diffRuns(a, b, { root: f.root, sites });
    // Fleets (issue 13): per service too (a second read of each run, split by service); not
    // read when neither run's processes span hosts or pods.
    const fleet = fleetGroups(a.processes) !== null || fleetGroups(b.processes) !== null;
    const services = fleet ? diffServices(await loadServices(pathOf(p.a)), await loadServices(pathOf(p.b)), { root: f.root, sites }) : undefined;
    return { diff, text: renderDiffText(diff) + (services ? renderServicesText(services) : ''), ...(services ? { services } : {}) };
  }

  /** A folder's shown runs changed: tell the client, refresh lenses and hints, push diagnostics. */
  private runsChanged(f: FolderRuns): void {
    const { connection, caps } = this.host;
    const obs = f.shown.observations;
    void this.runs.summaries(f).then(
      (all) => connection.sendNotification(RunsChangedNotification.type, { folderUri: f.uri, shown: all.filter((r) => r.shown), counts: runCounts(obs) }),
      () => {},
    );
    if (caps().workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => {});
    if (caps().workspace?.inlayHint?.refreshSupport) void connection.sendRequest(InlayHintRefreshRequest.type).catch(() => {});
    this.scheduleDiagnostics();
    this.host.runsChanged?.();
  }

  /** Recomputes (coalesced) and pushes the diagnostics of every file whose diagnostics changed. */
  scheduleDiagnostics(): void {
    if (this.diagnosticsQueued) return;
    this.diagnosticsQueued = true;
    setImmediate(() => {
      this.diagnosticsQueued = false;
      void this.publishDiagnostics().catch((e) => this.host.log(`envtrace: diagnostics failed: ${String(e)}`));
    });
  }

  private async publishDiagnostics(): Promise<void> {
    const { workspace } = this.host;
    await workspace.ready();
    await this.ready();
    // Runs reload into new Observations objects: identity and the index generation tell what changed.
    const gen = workspace.index.generation;
    const ident = this.runs.get().map((f) => f.shown.observations);
    if (gen === this.lastGeneration && ident.length === this.lastIdent.length && ident.every((o, i) => o === this.lastIdent[i])) return;
    this.lastGeneration = gen;
    this.lastIdent = ident;
    const next = new Map<string, Diagnostic[]>();
    const uris = new Set<string>();
    for (const e of workspace.index.all()) uris.add(e.uri);
    for (const uri of uris) {
      // Diagnostics speak of the shown runs only, never of an earlier run.
      const list = diagnostics(workspace.index, uri, (e) => this.observed.site(e, false));
      if (list.length) next.set(uri, list);
    }
    this.host.diagnostics.replace('runtime', next);
  }
}
