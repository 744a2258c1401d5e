/**
 * Expected sites from cursor markers in fixture Go files (see test/fixtures/scan/mod/README.md):
 * `/*@ KIND KEY API [default=V] [fn=F]*\/` right where a site starts, `/*$*\/` where it ends.
 */
import type { Site } from '../../server/src/scan/types';

/** A site as a marker states it (only the fields a marker can state). */
export interface ExpectedSite {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  kind: string;
  key: string | null;
  pattern: string | null;
  api: string;
  default?: string | null;
  function?: string;
}

const MARKER = /\/\*@ (.*?)\*\/|\/\*\$\*\//g;

/** Reads every marker of a file's text; columns in UTF-16 units, 1-based, like Site. */
export function expectedSites(text: string): ExpectedSite[] {
  const out: ExpectedSite[] = [];
  const lines = text.split('\n');
  let pendingRun: ExpectedSite[] = [];
  lines.forEach((lineText, row) => {
    MARKER.lastIndex = 0;
    for (let m = MARKER.exec(lineText); m; m = MARKER.exec(lineText)) {
      const after = m.index + m[0].length + 1; // 1-based column of the first character after the marker
      if (m[1] === undefined) {
        const last = out[out.length - 1];
        last.endLine = row + 1;
        last.endColumn = m.index + 1;
        continue;
      }
      const [kind, keyText, api, ...rest] = m[1].trim().split(/\s+/);
      const site: ExpectedSite = {
        line: row + 1,
        column: after,
        kind,
        key: keyText === '<dynamic>' || keyText.startsWith('pattern:') ? null : keyText.replace(/\\t/g, '\t'),
        pattern: keyText.startsWith('pattern:') ? keyText.slice('pattern:'.length) : null,
        api,
      };
      for (const r of rest) {
        if (r.startsWith('default=')) site.default = r.slice('default='.length);
        else if (r.startsWith('fn=')) site.function = r.slice('fn='.length);
      }
      // Adjacent markers (`/*@ A*//*@ B*/call`) all name the position after the last one.
      if (pendingRun.length && pendingRun[pendingRun.length - 1].line === site.line && lineText.slice(0, m.index).endsWith('*/')) {
        for (const p of pendingRun) p.column = after;
      } else pendingRun = [];
      pendingRun.push(site);
      out.push(site);
    }
  });
  return out;
}

/** A short comparable description of a site, restricted to what the expectation states. */
export function describe(s: Site | ExpectedSite, like?: ExpectedSite): string {
  const key = s.key ?? (s.pattern ? `pattern:${s.pattern}` : '<dynamic>');
  let d = `${s.line}:${s.column} ${s.kind} ${key} ${s.api}`;
  const e = like ?? (s as ExpectedSite);
  if (e.endLine !== undefined) d += ` end=${s.endLine}:${s.endColumn}`;
  if (e.default !== undefined) d += ` default=${s.default}`;
  if (e.function !== undefined) d += ` fn=${s.function}`;
  return d;
}
