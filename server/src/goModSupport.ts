/**
 * go.mod in the editor: lenses, hovers and diagnostics from the go commands of the shown runs
 * (analysis/goModConfig.ts, features/goMod.ts). Reads go.mod (open text first, else the disk,
 * capped); never runs anything.
 */
import type { CodeLens, Diagnostic, Hover, Position } from 'vscode-languageserver/node';
import { goModView, type GoModView } from './analysis/goModConfig';
import type { ObservedRun } from './analysis/observations';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import { goModDiagnostics, goModHover, goModLenses, isGoMod } from './features/goMod';
import { readRegularSync } from './files/readRegular';
import { pathToUri, uriToPath } from './workspace/files';

/** What the go.mod layer needs from the server. */
export interface GoModHost {
  /** The shown runs of every folder. */
  runs: () => readonly ObservedRun[];
  openText: (uri: string) => string | undefined;
  diagnostics: DiagnosticsPublisher;
  log: (m: string) => void;
}

/** Lenses, hover and diagnostics of go.mod files. */
export class GoModSupport {
  private queued = false;

  constructor(private readonly host: GoModHost) {}

  private view(uri: string): GoModView | null {
    if (!isGoMod(uri)) return null;
    const path = uriToPath(uri);
    if (path === null) return null;
    const runs = this.host.runs();
    if (!runs.some((r) => r.goCommands?.length)) return null;
    let text = this.host.openText(uri);
    if (text === undefined) {
      try {
        text = readRegularSync(path, { maxBytes: 1 << 20 }).toString('utf8');
      } catch {
        return null;
      }
    }
    return goModView(path, text, runs);
  }

  lenses(uri: string): CodeLens[] {
    return goModLenses(this.view(uri));
  }

  hover(uri: string, pos: Position): Hover | null {
    return goModHover(this.view(uri), pos);
  }

  /** Recomputes (coalesced) the diagnostics of the go.mod files the shown runs' go commands worked on. */
  schedule(): void {
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      try {
        const next = new Map<string, Diagnostic[]>();
        const paths = new Set(this.host.runs().flatMap((r) => (r.goCommands ?? []).flatMap((g) => g.goMods)));
        for (const p of paths) {
          const uri = pathToUri(p);
          const list = goModDiagnostics(this.view(uri));
          if (list.length) next.set(uri, list);
        }
        this.host.diagnostics.replace('gomod', next);
      } catch (e) {
        this.host.log(`envtrace: go.mod diagnostics failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    });
  }
}
