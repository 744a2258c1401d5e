/**
 * The language server's `.env` side (issue 6): keeps the `.env` index and the shown runs,
 * answers the `.env` parts of lenses, hovers, definitions and references (pure functions in
 * features/dotenv.ts) and publishes its diagnostics. server.ts forwards events and requests.
 */
import type { CodeLens, Hover, Location, Position } from 'vscode-languageserver/node';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import { dotenvAnnotator, dotenvDefinition, dotenvDiagnostics, dotenvHover, dotenvLenses, dotenvReferences } from './features/dotenv';
import type { SiteAnnotator } from './features/model';
import { DotenvFiles, isDotenvUri } from './workspace/dotenvFiles';
import { uriToPath } from './workspace/files';
import { FolderRuns } from './workspace/keyObservations';
import type { RunsManager } from './workspace/runs';
import type { Workspace } from './workspace/workspace';

/** File watchers the `.env` side needs: the files, and the run store's run.json (a run completed). */
export const DOTENV_WATCHERS = [{ globPattern: '**/.env*' }, { globPattern: '**/*.env' }, { globPattern: '**/.envtrace/runs/*/run.json' }];

/** `.env` files, run observations and their diagnostics for one server. */
export class DotenvSupport {
  readonly files = new DotenvFiles();
  private readonly runs: FolderRuns;

  constructor(
    private readonly diagnostics: DiagnosticsPublisher,
    private readonly workspace: Workspace,
    shownRuns: RunsManager,
  ) {
    this.runs = new FolderRuns(workspace, shownRuns);
  }

  /** The hover annotator that lists a read's `.env` definitions. */
  annotator(): SiteAnnotator {
    return dotenvAnnotator(this.files);
  }

  /** Indexes the `.env` files of folders (URIs). */
  async addFolders(uris: readonly string[]): Promise<void> {
    for (const uri of uris) {
      const root = uriToPath(uri);
      if (root !== null) await this.files.addFolder(root);
    }
  }

  /** Forgets the `.env` files of removed folders. */
  removeFolders(uris: readonly string[]): void {
    for (const uri of uris) {
      const root = uriToPath(uri);
      if (root !== null) this.files.removeFolder(root);
    }
  }

  /** An open document changed; true when it is a `.env` file. */
  documentChanged(uri: string, text: string): boolean {
    if (!isDotenvUri(uri)) return false;
    this.files.setOpenText(uri, text);
    return true;
  }

  /** A document closed. */
  async documentClosed(uri: string): Promise<void> {
    if (isDotenvUri(uri)) await this.files.close(uri);
  }

  /** Files changed on disk: `.env` files are re-read (the runtime refreshes the runs). */
  async filesChanged(uris: readonly string[]): Promise<void> {
    await this.files.filesChanged(uris);
  }

  /** Code lenses of a `.env` document (empty for other documents). */
  async lenses(uri: string): Promise<CodeLens[]> {
    if (!isDotenvUri(uri)) return [];
    await this.runs.settled();
    return dotenvLenses(this.files, this.workspace.index, uri, this.runs);
  }

  /** Hover on a `.env` key (null elsewhere). */
  async hover(uri: string, pos: Position): Promise<Hover | null> {
    if (!isDotenvUri(uri)) return null;
    await this.runs.settled();
    return dotenvHover(this.files, this.workspace.index, uri, pos, this.runs);
  }

  /** Definitions of the key at a read site or `.env` reference. */
  definition(uri: string, pos: Position): Location[] | null {
    return dotenvDefinition(this.files, this.workspace.index, uri, pos);
  }

  /** References from a `.env` key (null elsewhere). */
  references(uri: string, pos: Position, includeDeclaration: boolean): Location[] | null {
    if (!isDotenvUri(uri)) return null;
    return dotenvReferences(this.files, this.workspace.index, uri, pos, includeDeclaration);
  }

  /** Computes the `.env` diagnostics and hands them to the publisher (which clears URIs that no longer have any). */
  async publishDiagnostics(): Promise<void> {
    await this.runs.settled();
    this.diagnostics.replace('dotenv', dotenvDiagnostics(this.files, this.workspace.index, this.runs));
  }
}
