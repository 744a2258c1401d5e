/**
 * The one place that sends `textDocument/publishDiagnostics`. A publish replaces every
 * diagnostic of a document, so two layers publishing for the same Go file (the runtime's
 * unset/race findings, the `.env` layer's required-key warnings, the `envtrace check` rules)
 * would erase each other.
 * Each layer hands its whole set here under its own name; the client gets, per URI, the
 * diagnostics of all layers together, and only when that merged list changed.
 */
import type { Diagnostic } from 'vscode-languageserver/node';

/** The layers that publish diagnostics, in the order their diagnostics are listed. */
export type DiagnosticsSource = 'runtime' | 'dotenv' | 'check' | 'gomod';

const ORDER: DiagnosticsSource[] = ['runtime', 'dotenv', 'check', 'gomod'];

/** Merges the diagnostics of every source per URI and sends what changed. */
export class DiagnosticsPublisher {
  private readonly bySource = new Map<DiagnosticsSource, Map<string, Diagnostic[]>>();
  /** What the client last got per URI (JSON), for URIs with diagnostics. */
  private readonly sent = new Map<string, string>();

  constructor(private readonly send: (uri: string, diagnostics: Diagnostic[]) => void) {}

  /** Replaces all of `source`'s diagnostics with `byUri` (a URI not in it has none) and sends the URIs whose merged list changed. */
  replace(source: DiagnosticsSource, byUri: ReadonlyMap<string, readonly Diagnostic[]>): void {
    const before = this.bySource.get(source) ?? new Map<string, Diagnostic[]>();
    const next = new Map<string, Diagnostic[]>();
    for (const [uri, list] of byUri) if (list.length) next.set(uri, [...list]);
    this.bySource.set(source, next);
    // In the source's own order (the `.env` layer lists Go files before `.env` files), then the URIs it dropped.
    for (const uri of new Set([...next.keys(), ...before.keys()])) this.flush(uri);
  }

  private flush(uri: string): void {
    const merged = ORDER.flatMap((s) => this.bySource.get(s)?.get(uri) ?? []);
    const text = JSON.stringify(merged);
    if ((this.sent.get(uri) ?? '[]') === text) return;
    if (merged.length) this.sent.set(uri, text);
    else this.sent.delete(uri);
    this.send(uri, merged);
  }
}
