/** textDocument/inlayHint: after each read, the value the shown runs observed (`= "8080"`, `= unset`, `= •••`). */
import type { InlayHint, Range } from 'vscode-languageserver-protocol';
import { inlayText } from '../analysis/runtimeText';
import type { SiteIndex } from './model';
import type { SiteObservations } from './runtime';

/** The inlay hints of the sites of `uri` that end inside `range`; empty without runs. */
export function inlayHints(index: SiteIndex, uri: string, range: Range, observe: SiteObservations): InlayHint[] {
  const out: InlayHint[] = [];
  for (const e of index.sitesIn(uri)) {
    const end = e.range.end;
    if (end.line < range.start.line || end.line > range.end.line) continue;
    const seen = observe(e);
    if (!seen) return [];
    const label = inlayText(seen.o);
    if (label !== null) out.push({ position: end, label: seen.file.earlier ? `${label} (earlier run)` : label, paddingLeft: true });
  }
  return out;
}
