/** The language client: how the envtrace server is started, traced, restarted and reported on. */
import { withGraphLens } from './graphLens';
import { withPictureLinks } from './pictureLinks';
import * as vscode from 'vscode';
import { readConfig } from './config';
import {
  CloseAction,
  CodeLensRequest,
  ErrorAction,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

/** Creates (does not start) the language client for the bundled server at `serverModule`. */
export function createClient(serverModule: string, log: vscode.LogOutputChannel): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  let restarts: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'go' },
      // go.mod: the last traced go command's settings on its module/go/toolchain lines (vscode-go's language id, or none).
      { scheme: 'file', language: 'go.mod' },
      { scheme: 'file', pattern: '**/go.mod' },
      // .env files: the server's lenses, hovers, references and check quick fixes there.
      { scheme: 'file', pattern: '**/{.env,.env.*,*.env}' },
    ],
    outputChannel: log,
    traceOutputChannel: log,
    synchronize: { configurationSection: 'envtrace' },
    initializationOptions: {},
    // The lens and inlay hint settings hold whatever the server does with them.
    middleware: {
      provideCodeLenses: async (doc, token, next) => (setting(doc.uri)['codeLens.enabled'] ? withGraphLens(doc, await next(doc, token)) : []),
      provideInlayHints: (doc, range, token, next) => (setting(doc.uri)['inlayHints.enabled'] ? next(doc, range, token) : []),
      provideHover: async (doc, pos, token, next) => withPictureLinks(await next(doc, pos, token)),
    },
    errorHandler: {
      error: (error, _message, count) => {
        log.error(`language server connection error: ${error.message}`);
        return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
      },
      closed: () => {
        // NOTE: restart a crashed server at most 4 times in 3 minutes, then stay down
        // and say so once, instead of a restart loop that floods the log.
        const now = Date.now();
        restarts = [...restarts.filter((t) => now - t < 180_000), now];
        if (restarts.length <= 4) {
          log.warn('language server stopped; restarting');
          return { action: CloseAction.Restart };
        }
        return {
          action: CloseAction.DoNotRestart,
          message: 'envtrace: the language server stopped 5 times in 3 minutes and will not be restarted. Run "envtrace: Restart Language Server" after fixing the cause (see the envtrace output).',
        };
      },
    },
  };
  return new LanguageClient('envtrace', 'envtrace', serverOptions, clientOptions);
}

function setting(uri: vscode.Uri) {
  return readConfig(vscode.workspace.getConfiguration('envtrace', uri));
}

/** Asks VS Code to fetch the server's code lenses again (after a setting or the shown runs changed). */
export function refreshServerLenses(client: LanguageClient | undefined): void {
  if (!client?.isRunning()) return;
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.languageId !== 'go') continue;
    client.getFeature(CodeLensRequest.method)?.getProvider(doc)?.onDidChangeCodeLensEmitter.fire();
  }
}

/** A started-or-not language client with restart and a tolerant request helper. */
export class ServerConnection implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private reported = false;
  private readonly runsChangedEmitter = new vscode.EventEmitter<void>();
  /** Fires when the server's shown runs changed (its `envtrace/runsChanged` notification). */
  readonly onRunsChanged = this.runsChangedEmitter.event;
  private readonly indexChangedEmitter = new vscode.EventEmitter<void>();
  /** Fires when the server's index changed: files were scanned or edited (its `envtrace/indexChanged` notification). */
  readonly onIndexChanged = this.indexChangedEmitter.event;

  constructor(
    private readonly serverModule: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Starts the server; failures are logged and shown once, never thrown. */
  async start(): Promise<boolean> {
    this.client = createClient(this.serverModule, this.log);
    try {
      await this.client.start();
      this.client.onNotification('envtrace/runsChanged', () => this.runsChangedEmitter.fire());
      this.client.onNotification('envtrace/indexChanged', () => this.indexChangedEmitter.fire());
      this.log.info('language server started');
      return true;
    } catch (e) {
      this.fail('could not start the envtrace language server', e);
      return false;
    }
  }

  /** Stops and starts the server again. */
  async restart(): Promise<boolean> {
    await this.stop();
    this.reported = false;
    return this.start();
  }

  /** True while the server runs. */
  get running(): boolean {
    return this.client?.isRunning() ?? false;
  }

  /** The underlying client, for features that need it (e.g. notifications). */
  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  /** Re-fetches the server's code lenses. */
  refreshLenses(): void {
    refreshServerLenses(this.client);
  }

  /** Sends a custom request; undefined when the server is down or does not know the method. */
  async request<R>(method: string, params: unknown): Promise<R | undefined> {
    if (!this.client?.isRunning()) return undefined;
    try {
      return await this.client.sendRequest<R>(method, params);
    } catch (e) {
      this.log.warn(`request ${method} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c?.isRunning()) await c.stop().catch((e: unknown) => this.log.warn(`stopping the server: ${String(e)}`));
  }

  dispose(): void {
    void this.stop();
    this.runsChangedEmitter.dispose();
    this.indexChangedEmitter.dispose();
  }

  private fail(what: string, e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.log.error(`${what}: ${msg}`);
    if (this.reported) return;
    this.reported = true;
    void vscode.window.showErrorMessage(`envtrace: ${what}: ${msg}`, 'Show Log').then((pick) => {
      if (pick) this.log.show();
    });
  }
}
