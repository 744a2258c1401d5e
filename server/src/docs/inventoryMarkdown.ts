/** The Markdown inventory of a workspace's environment: every key, its defaults, sites and observed values. No `vscode` import. */
import type { ScanResult, Site } from '../scan/types';
import { patternMatches } from '../analysis/patterns';
import { escapeMarkdown, relativeFileLink } from './markdown';
import { programKeys, showValue, summarize, summaryText, type JsonReport, type ReportVar } from './jsonReport';

interface KeyEntry {
  key: string;
  sites: Site[];
  observed: ReportVar | undefined;
  /** For a pattern: the observed keys it matched. */
  matched?: ReportVar[];
}

/**
 * Builds the inventory from a scan (static sites) and an optional report (observed values;
 * secrets stay redacted). Links are relative to `linkFrom`, the folder the file is written to.
 */
export function inventoryMarkdown(scan: ScanResult, report: JsonReport | undefined, title: string, linkFrom = scan.root): string {
  const fileLink = (file: string, line: number) => relativeFileLink(file, line, scan.root, linkFrom);
  const entries = new Map<string, KeyEntry>();
  const entry = (key: string) => {
    let e = entries.get(key);
    if (!e) entries.set(key, (e = { key, sites: [], observed: undefined }));
    return e;
  };
  for (const s of scan.sites) {
    const k = s.key ?? s.pattern;
    if (k) entry(k).sites.push(s);
  }
  // The program's keys only (runs/keyCount.ts): not the Go runtime's own start-up reads.
  const program = report ? programKeys(report) : new Set<string>();
  // A key with no site of its own that a pattern matched is listed under the pattern.
  const patterns = scan.sites.map((s) => s.pattern).filter((p): p is string => !!p);
  for (const v of report?.vars ?? []) {
    if (!program.has(v.key) && !entries.has(v.key)) continue;
    const pattern = entries.has(v.key) ? undefined : patterns.find((p) => patternMatches(p, v.key));
    if (pattern) (entry(pattern).matched ??= []).push(v);
    else entry(v.key).observed = v;
  }
  const keys = [...entries.values()].sort((a, b) => a.key.localeCompare(b.key));
  const dynamic = scan.sites.filter((s) => !s.key && !s.pattern);
  const out: string[] = [`# Environment of ${escapeMarkdown(title)}`, ''];
  const inCode = new Set(scan.sites.map((s) => s.key ?? s.pattern).filter((k): k is string => !!k)).size;
  out.push(`${inCode} keys and patterns at ${scan.sites.length} sites in ${scan.files} Go files.`, '');
  if (report) out.push(`Run ${escapeMarkdown(report.label || report.id)} read ${summaryText(summarize(report))}; its observed values are below.`, '');
  out.push('| Key | Default | Read | Written | Observed |', '| --- | --- | --- | --- | --- |');
  for (const e of keys) {
    const defaults = [...new Set(e.sites.map((s) => s.default).filter((d): d is string => d !== null))];
    const reads = e.sites.filter((s) => s.kind === 'read').length;
    const writes = e.sites.filter((s) => s.kind !== 'read' && s.kind !== 'environ').length;
    out.push(`| \`${e.key.replace(/`/g, "'")}\` | ${defaults.map((d) => escapeMarkdown(JSON.stringify(d))).join(', ') || '—'} | ${reads} | ${writes} | ${e.matched ? `${e.matched.length} key${e.matched.length === 1 ? '' : 's'}: ${e.matched.map((m) => `${escapeMarkdown(m.key)}${m.unsetReads === m.reads ? ' unset' : ''}`).join(', ')}` : observedText(e.observed)} |`);
  }
  for (const e of keys) {
    out.push('', `## ${escapeMarkdown(e.key)}`, '');
    for (const s of e.sites) {
      const def = s.default !== null ? ` — default ${escapeMarkdown(JSON.stringify(s.default))}` : '';
      out.push(`- ${s.kind} via \`${s.api}\` at ${fileLink(s.file, s.line)}${s.test ? ' (test)' : ''}${def}`);
    }
    if (e.sites.length === 0) out.push('- no static site (read by a library or a dynamic key)');
    for (const m of e.matched ?? []) out.push(`- matched ${escapeMarkdown(m.key)}: ${observedText(m)}`);
    const o = e.observed;
    if (o) {
      out.push(`- observed: ${plural(o.reads, 'read')}, ${plural(o.writes, 'write')}, ${o.unsetReads} while unset`);
      for (const v of o.values) out.push(`  - ${escapeMarkdown(showValue(v, 80))} ×${v.count}`);
      if (o.race) out.push(`  - ⚠ ${escapeMarkdown(o.race.level)} race${o.race.detail ? `: ${escapeMarkdown(o.race.detail)}` : ''}`);
    }
  }
  if (dynamic.length) {
    out.push('', '## Dynamic keys', '');
    for (const s of dynamic) out.push(`- ${s.kind} via \`${s.api}\` at ${fileLink(s.file, s.line)}`);
  }
  return out.join('\n') + '\n';
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

function observedText(v: ReportVar | undefined): string {
  if (!v) return '—';
  const values = v.values.slice(0, 3).map((x) => escapeMarkdown(showValue(x, 30)));
  if (v.values.length > 3) values.push(`+${v.values.length - 3}`);
  const unset = v.unsetReads > 0 ? `unset ×${v.unsetReads}` : '';
  return [...values, unset].filter(Boolean).join(', ') || '—';
}
