/**
 * The language server: answers initialize, builds the workspace index and binds thin handlers
 * that look up the index and call the pure feature functions.
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CHECK_WATCHERS, CheckSupport } from './checkSupport';
import { codeLenses } from './features/codeLens';
import { hover } from './features/hover';
import { dependencyGraph, usesAnnotator, withKeyRisks } from './usesSupport';
import { inventory } from './features/inventory';
import type { SiteAnnotator } from './features/model';
import { references } from './features/references';
import { workspaceSymbols } from './features/workspaceSymbol';
import { DOTENV_WATCHERS, DotenvSupport } from './dotenvSupport';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { GoModSupport } from './goModSupport';
import { isGoMod } from './features/goMod';
import { Runtime } from './runtime';
import { bindPictures } from './pictures';
import { GraphRequest, IndexChangedNotification, InventoryRequest, ReindexRequest, type GraphParams, type InventoryParams } from './protocol';
import { createScanner } from './scan/index';
import { folderScanFactory } from './workspace/folderScan';
import { indexFolders } from './workspace/indexing';
import { canonicalUri } from './workspace/files';
import { SettingsCache } from './workspace/settings';
import { Workspace } from './workspace/workspace';

/** Binds every handler of the envtrace language server to `connection` (which the caller listens on). */
export function startServer(connection: Connection): void {
  const log = (m: string) => connection.console.log(m);
  const documents = new TextDocuments(TextDocument);
  // NOTE: tree-sitter loads once, while the client is still initializing.
  const scanner = createScanner();
  scanner.catch((e: unknown) => log(`envtrace: cannot load the Go parser: ${e instanceof Error ? e.message : String(e)}`));
  const workspace = new Workspace(folderScanFactory(scanner), log);
  let caps: ClientCapabilities = {};
  let folders: WorkspaceFolder[] = [];
  let settings = new SettingsCache(undefined);
  const notifyIndex = changeNotifier(connection, workspace, () => caps);
  // Both layers below publish diagnostics for Go files: one publisher merges them per URI.
  const publisher = new DiagnosticsPublisher((uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }).catch(() => {}));
  // The runs of each folder: lenses, hovers, inlay hints and diagnostics show what they observed.
  // `envtrace check`'s rules as diagnostics (issue 14); re-run on every change, debounced.
  // NOTE: runs change only after initialized, once `check` exists.
  const runtime = new Runtime({ connection, workspace, settings: () => settings, caps: () => caps, log, diagnostics: publisher, runsChanged: () => {
    check.schedule();
    goMod.schedule();
    dotenvDiagnostics();
  } });
  const openText = (uri: string) => (documents.get(uri) ?? documents.all().find((d) => canonicalUri(d.uri) === uri))?.getText();
  // go.mod (issue 12): what the last traced go command resolved, from the shown runs.
  const goMod = new GoModSupport({ runs: () => runtime.runs.get().flatMap((f) => f.shown.observations.runs), openText, diagnostics: publisher, log });
  const check = new CheckSupport({ workspace, runs: runtime.runs, settings: () => settings, diagnostics: publisher, openText, log });
  const changed = (force = false) => {
    notifyIndex(force);
    goMod.schedule();
    runtime.scheduleDiagnostics();
    check.schedule();
  };
  // Layers that add to lenses and hovers (the runtime observations of traced runs).
  const annotators: SiteAnnotator[] = [runtime.annotator];
  // `.env` files (issue 6): their lenses, hovers, definitions, references and diagnostics.
  const dotenv = new DotenvSupport(publisher, workspace, runtime.runs);
  annotators.push(dotenv.annotator(), usesAnnotator(workspace));
  let diagnosticsQueued = false;
  const dotenvDiagnostics = () => {
    if (diagnosticsQueued) return;
    diagnosticsQueued = true;
    setImmediate(() => {
      diagnosticsQueued = false;
      void guard(log, '.env diagnostics', () => dotenv.publishDiagnostics());
    });
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    caps = params.capabilities;
    folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    if (caps.workspace?.configuration) {
      settings = new SettingsCache((uri) => connection.workspace.getConfiguration({ scopeUri: uri, section: 'envtrace' }));
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        inlayHintProvider: { resolveProvider: false },
        referencesProvider: true,
        definitionProvider: true,
        workspaceSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'envtrace', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    // Folders join the workspace before anything is awaited, so documents opened meanwhile find them.
    const indexed = guard(log, 'indexing the workspace', () => indexFolders(connection, workspace, folders));
    const dotenvIndexed = guard(log, 'reading .env files', () => dotenv.addFolders(folders.map((f) => f.uri)));
    void runtime.configure();
    if (caps.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      await guard(log, 'registering file watchers', () =>
        connection.client.register(DidChangeWatchedFilesNotification.type, {
          // Deleted or created directories (a branch switch, a moved package) arrive only through `**/*`.
          watchers: [
            { globPattern: '**/*.go' },
            { globPattern: '**/go.mod' },
            { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
            // Runs appear, grow and complete (run.json gets `end`) here.
            { globPattern: '**/.envtrace/runs/**' },
            ...DOTENV_WATCHERS,
            ...CHECK_WATCHERS,
          ],
        }),
      );
    }
    if (caps.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(async (e) => {
        for (const f of e.removed) workspace.removeFolder(f.uri);
        dotenv.removeFolders(e.removed.map((f) => f.uri));
        changed();
        const added = guard(log, 'indexing added folders', () => indexFolders(connection, workspace, e.added));
        void runtime.configure();
        await added;
        await guard(log, 'reading .env files', () => dotenv.addFolders(e.added.map((f) => f.uri)));
        changed();
        dotenvDiagnostics();
      });
    }
    await indexed;
    await dotenvIndexed;
    changed();
    dotenvDiagnostics();
  });

  documents.onDidOpen((e) => {
    // A Go file outside every workspace folder (an editor started on one file): index its module.
    const root = workspace.moduleRootOutside(e.document.uri);
    if (root === null) return;
    void guard(log, `indexing ${root}`, async () => {
      const indexed = indexFolders(connection, workspace, [{ uri: root, name: root }]);
      void runtime.configure();
      await indexed;
      changed();
    });
  });
  documents.onDidChangeContent((e) => {
    if (dotenv.documentChanged(e.document.uri, e.document.getText())) changed(true);
    else workspace.setOpenText(e.document.uri, e.document.getText());
    changed();
    dotenvDiagnostics();
  });
  documents.onDidClose(async (e) => {
    settings.forget(e.document.uri);
    await guard(log, `closing ${e.document.uri}`, () => workspace.closeDocument(e.document.uri));
    await guard(log, `closing ${e.document.uri}`, () => dotenv.documentClosed(e.document.uri));
    changed();
  });
  connection.onDidChangeWatchedFiles(async (p) => {
    runtime.filesChanged(p.changes.map((c) => c.uri));
    await guard(log, 'reloading changed files', () => workspace.filesChanged(p.changes.map((c) => c.uri)));
    await guard(log, 'reloading changed .env files', () => dotenv.filesChanged(p.changes.map((c) => c.uri)));
    changed();
    dotenvDiagnostics();
  });
  connection.onDidChangeConfiguration(() => {
    settings.clear();
    changed(true);
    void runtime.configure();
  });

  connection.onCodeLens(async (p) => {
    await workspace.ready();
    const uri = canonicalUri(p.textDocument.uri);
    if (!(await settings.get(p.textDocument.uri)).codeLensEnable) return [];
    await runtime.ready();
    if (isGoMod(uri)) return (await guard(log, 'codeLens', () => goMod.lenses(uri))) ?? null;
    return (await guard(log, 'codeLens', async () => [...codeLenses(workspace.index, uri, annotators), ...runtime.libraryLenses(uri), ...(await dotenv.lenses(uri))])) ?? null;
  });
  connection.onHover(async (p) => {
    await workspace.ready();
    await runtime.ready();
    const uri = canonicalUri(p.textDocument.uri);
    if (isGoMod(uri)) return (await guard(log, 'hover', () => goMod.hover(uri, p.position))) ?? null;
    return (await guard(log, 'hover', async () => hover(workspace.index, uri, p.position, annotators) ?? (await dotenv.hover(uri, p.position)))) ?? null;
  });
  connection.onDefinition(async (p) => {
    await workspace.ready();
    return (await guard(log, 'definition', () => dotenv.definition(canonicalUri(p.textDocument.uri), p.position))) ?? null;
  });
  connection.onReferences(async (p) => {
    await workspace.ready();
    const uri = canonicalUri(p.textDocument.uri);
    return (await guard(log, 'references', () => dotenv.references(uri, p.position, p.context.includeDeclaration) ?? references(workspace.index, uri, p.position, p.context.includeDeclaration))) ?? null;
  });
  connection.onCodeAction(async (p) => {
    await workspace.ready();
    return (await guard(log, 'codeAction', () => check.codeActions(p))) ?? [];
  });
  connection.onWorkspaceSymbol(async (p) => {
    await workspace.ready();
    return (await guard(log, 'workspace/symbol', () => workspaceSymbols(workspace.index, p.query))) ?? [];
  });
  connection.onRequest(InventoryRequest.type, async (p: InventoryParams | undefined) => {
    return withKeyRisks(inventory(workspace.entries(p?.folderUri), workspace.fileCount(p?.folderUri), workspace.stats().indexing), workspace);
  });
  connection.onRequest(GraphRequest.type, async (p: GraphParams | undefined) => {
    await workspace.ready();
    return dependencyGraph(workspace, p);
  });
  connection.onRequest(ReindexRequest.type, async () => {
    await workspace.reindex();
    changed(true);
    const s = workspace.stats();
    return { files: s.files, sites: s.sites };
  });

  runtime.bind();
  bindPictures(connection, log);
  connection.onShutdown(() => {
    runtime.runs.dispose();
    check.dispose();
  });
  documents.listen(connection);
}

/**
 * Returns a function that tells the client (coalesced per tick) that the index changed, so
 * views and lenses of other files refresh; it stays quiet when no site changed unless forced.
 */
function changeNotifier(connection: Connection, workspace: Workspace, caps: () => ClientCapabilities): (force?: boolean) => void {
  let queued = false;
  let forced = false;
  let last = '';
  return (force = false) => {
    forced ||= force;
    if (queued) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      const stats = workspace.stats();
      const state = `${workspace.index.generation}/${stats.indexing}`;
      if (state === last && !forced) return;
      last = state;
      forced = false;
      void connection.sendNotification(IndexChangedNotification.type, stats).catch(() => {});
      if (caps().workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => {});
    });
  };
}

/** Runs `fn`; on an exception logs it and returns undefined, so one bad input never ends the server. */
async function guard<T>(log: (m: string) => void, what: string, fn: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    log(`envtrace: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return undefined;
  }
}
