/**
 * Diagnostics from the shown runs: a read that was unset without a default
 * (`envtrace.unset`), races (`envtrace.race`, related information at the other side),
 * and the keys a dynamic-key site was called with (`envtrace.keys`).
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { pathToFileURL } from 'node:url';
import { findings } from '../analysis/runtimeText';
import { escapeControls } from '../runs/text';
import type { SiteIndex } from './model';
import type { SiteObservations } from './runtime';

const SEVERITY = { information: DiagnosticSeverity.Information, warning: DiagnosticSeverity.Warning, hint: DiagnosticSeverity.Hint } as const;

/** The diagnostics of one document; empty without runs. */
export function diagnostics(index: SiteIndex, uri: string, observe: SiteObservations): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of index.sitesIn(uri)) {
    const seen = observe(e);
    if (!seen) return [];
    for (const f of findings(seen.o, seen.file.root)) {
      const d: Diagnostic = { range: e.range, severity: SEVERITY[f.severity], code: f.code, source: 'envtrace', message: escapeControls(f.message) };
      if (f.related.length) {
        d.relatedInformation = f.related.map((r) => ({
          location: { uri: pathToFileURL(r.file).href, range: { start: { line: r.line - 1, character: 0 }, end: { line: r.line - 1, character: 0 } } },
          message: escapeControls(r.message),
        }));
      }
      out.push(d);
    }
  }
  return out;
}
