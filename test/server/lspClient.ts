/**
 * A minimal LSP client for server tests: starts the real server bundle over stdio, answers
 * the server's requests the way an editor does, and records what the server sends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { InitializeResult, Position } from 'vscode-languageserver-protocol';

/** A `$/progress` notification. */
export interface ProgressParams {
  token: string | number;
  value: unknown;
}

/** The repository root (tests run from out/test/server). */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/** Copies a fixture workspace (test/fixtures/workspaces/<name>) into a fresh temporary directory. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `envtrace-${name}-`));
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspaces', name), dir, { recursive: true });
  return dir;
}

/** `file://` URI of a path. */
export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

/** The 0-based position of the `nth` occurrence of `needle` in `text`, plus `offset` characters. */
export function positionOf(text: string, needle: string, offset = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`fixture has no occurrence ${nth} of ${JSON.stringify(needle)}`);
  }
  at += offset;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** How to start the server. */
export type Launch = 'server' | 'cli';

/** A running server and a connection to it. */
export class LspClient {
  /** Every `$/progress` notification, in order. */
  readonly progress: ProgressParams[] = [];
  /** Tokens the server created with window/workDoneProgress/create. */
  readonly progressTokens: (string | number)[] = [];
  /** Methods of every notification and request the server sent, in order. */
  readonly received: { method: string; params: unknown }[] = [];
  /** Settings the client answers workspace/configuration with (section `envtrace`). */
  settings: unknown = {};
  private waiters: (() => void)[] = [];
  stderr = '';

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
  ) {}

  /** Starts `node dist/server.js --stdio` (or `node dist/cli.js lsp --stdio`) and connects; `nodeArgs` go to node (e.g. a heap limit). */
  static start(launch: Launch = 'server', nodeArgs: string[] = []): LspClient {
    const args = launch === 'server' ? [join(repoRoot, 'dist', 'server.js'), '--stdio'] : [join(repoRoot, 'dist', 'cli.js'), 'lsp', '--stdio'];
    const proc = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, conn);
    proc.stderr!.on('data', (d: Buffer) => (client.stderr += d.toString()));
    client.bind();
    conn.listen();
    return client;
  }

  private bind(): void {
    const note = (method: string, params: unknown) => {
      this.received.push({ method, params });
      this.wake();
    };
    this.conn.onNotification((method, params) => note(method, params));
    // NOTE: vscode-jsonrpc routes $/progress to progress handlers, not to onNotification.
    this.conn.onUnhandledProgress((p: ProgressParams) => {
      this.progress.push(p);
      note('$/progress', p);
    });
    this.conn.onRequest((method, params) => {
      note(method, params);
      switch (method) {
        case 'window/workDoneProgress/create':
          this.progressTokens.push((params as { token: string | number }).token);
          return null;
        case 'workspace/configuration':
          return (params as { items: unknown[] }).items.map(() => this.settings);
        default:
          return null; // client/registerCapability, workspace/codeLens/refresh, ...
      }
    });
    // A server that dies fails the pending requests instead of leaving them hanging.
    this.proc.on('exit', () => {
      this.wake();
      this.dispose();
    });
  }

  private dispose(): void {
    try {
      this.conn.dispose();
    } catch {
      // already disposed
    }
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Resolves once `cond()` holds, re-checking whenever the server sends something. */
  async waitFor(cond: () => boolean, what: string): Promise<void> {
    while (!cond()) {
      if (this.proc.exitCode !== null) throw new Error(`server exited while waiting for ${what}\n${this.stderr}`);
      await new Promise<void>((res) => this.waiters.push(res));
    }
  }

  /**
   * initialize + initialized with one workspace folder (or none) and an editor's usual capabilities;
   * `dynamicWatchers: false` plays an editor that cannot register file watchers.
   */
  async initialize(folder: string | null, opts: { dynamicWatchers?: boolean } = {}): Promise<InitializeResult> {
    const uri = folder === null ? null : uriOf(folder);
    const result = (await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: uri === null ? null : [{ uri, name: 'fixture' }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: opts.dynamicWatchers ?? true },
          codeLens: { refreshSupport: true },
          inlayHint: { refreshSupport: true },
          symbol: { dynamicRegistration: false },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeLens: {},
          references: {},
          inlayHint: {},
          publishDiagnostics: { relatedInformation: true },
        },
      },
    })) as InitializeResult;
    await this.conn.sendNotification('initialized', {});
    return result;
  }

  /** Waits until the progress of the initial scan has ended. */
  async indexed(): Promise<void> {
    await this.waitFor(() => this.progress.some((p) => (p.value as { kind?: string }).kind === 'end'), 'the initial index');
  }

  /** Opens a file that exists on disk with its current text. */
  async open(path: string): Promise<string> {
    const text = readFileSync(path, 'utf8');
    await this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uriOf(path), languageId: 'go', version: 1, text },
    });
    return text;
  }

  /** Sends a request and returns its typed result. */
  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  /** Sends a notification. */
  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  /** shutdown + exit, and waits for the process to end. */
  async stop(): Promise<number | null> {
    if (this.proc.exitCode === null) {
      const exited = new Promise<number | null>((res) => this.proc.on('exit', (code) => res(code)));
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
      return await exited;
    }
    this.dispose();
    return this.proc.exitCode;
  }
}

/** Removes a temporary workspace. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
