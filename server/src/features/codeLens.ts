/** textDocument/codeLens: one lens per line with sites, naming the key(s) and where else they are used. */
import type { CodeLens, Location } from 'vscode-languageserver-protocol';
import { ShowSitesCommand, type ShowSitesArguments } from '../protocol';
import type { SiteAnnotator, SiteEntry, SiteIndex } from './model';
import { baseName, groupName, sitesOfGroup, sourceFiles, verb } from './sites';
import { escapeControls } from '../runs/text';

/** The code lenses of one document: one per line that holds at least one site. */
export function codeLenses(index: SiteIndex, uri: string, annotators: readonly SiteAnnotator[] = []): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const line of byLine(index.sitesIn(uri))) lenses.push(lineLens(index, line, annotators));
  return lenses;
}

function byLine(entries: readonly SiteEntry[]): SiteEntry[][] {
  const lines = new Map<number, SiteEntry[]>();
  for (const e of entries) {
    const l = e.range.start.line;
    const list = lines.get(l);
    if (list) list.push(e);
    else lines.set(l, [e]);
  }
  return [...lines.values()];
}

function lineLens(index: SiteIndex, line: SiteEntry[], annotators: readonly SiteAnnotator[]): CodeLens {
  const first = line[0];
  const parts: string[] = [];
  const others: Location[] = [];
  const seen = new Set<string>();
  const groups = new Set<string>();
  for (const e of line) {
    const name = groupName(e);
    if (name === null) {
      parts.push(unkeyedTitle(e));
      continue;
    }
    if (groups.has(name)) continue;
    groups.add(name);
    const elsewhere = sitesOfGroup(index, e).filter((o) => !(o.uri === e.uri && o.range.start.line === e.range.start.line));
    parts.push([name, ...summary(elsewhere, e.uri)].join(' · '));
    for (const o of elsewhere) {
      const id = `${o.uri}#${o.range.start.line}:${o.range.start.character}`;
      if (seen.has(id)) continue;
      seen.add(id);
      others.push({ uri: o.uri, range: o.range });
    }
  }
  const annotated = annotators.map((a) => a.lens?.(line) ?? []).find((p) => p.length > 0);
  const title = escapeControls(dedupe(annotated ? [...annotated] : parts).join('  |  '));
  const range = { start: first.range.start, end: first.range.start };
  if (others.length === 0) return { range, command: { title, command: '' } };
  const args: ShowSitesArguments = [first.uri, first.range.start, others];
  return { range, command: { title, command: ShowSitesCommand, arguments: args } };
}

function unkeyedTitle(e: SiteEntry): string {
  if (e.site.kind === 'clear') return `clears the environment · ${e.site.api}`;
  if (e.site.kind === 'environ') return `reads the whole environment · ${e.site.api}`;
  if (e.site.kind === 'source') return `loads ${sourceFiles(e.site.options)} · ${e.site.api}`;
  return 'dynamic key · a traced run shows which keys';
}

/**
 * `read in 3 places`, `set in main_test.go`, `set on line 25` (another line of the same
 * file); nothing when the key has no other site (the hover says so).
 */
function summary(elsewhere: SiteEntry[], uri: string): string[] {
  const byVerb = new Map<string, SiteEntry[]>();
  for (const o of elsewhere) {
    const v = verb(o.site.kind);
    const list = byVerb.get(v);
    if (list) list.push(o);
    else byVerb.set(v, [o]);
  }
  const out: string[] = [];
  for (const v of ['read', 'set', 'unset']) {
    const list = byVerb.get(v);
    if (!list) continue;
    if (list.length > 1) out.push(`${v} in ${list.length} places`);
    else out.push(list[0].uri === uri ? `${v} on line ${list[0].site.line}` : `${v} in ${baseName(list[0])}`);
  }
  return out;
}

function dedupe(parts: string[]): string[] {
  return [...new Set(parts)];
}
