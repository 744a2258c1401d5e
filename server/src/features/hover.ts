/** textDocument/hover on a site: key, api, default, enclosing function and the other sites of the key. */
import type { Hover, Position } from 'vscode-languageserver-protocol';
import type { SiteAnnotator, SiteEntry, SiteIndex } from './model';
import { escapeMarkdown, lineLink, link } from './markdown';
import { sameSite, siteAt, sitesOfGroup, sourceFiles, verb } from './sites';

/** How many other sites a hover lists before summarising the rest. */
const MAX_LISTED = 20;

/** The hover for the site at `pos`, or null when no site is there. Markdown, all text escaped. */
export function hover(
  index: SiteIndex,
  uri: string,
  pos: Position,
  annotators: readonly SiteAnnotator[] = [],
): Hover | null {
  const e = siteAt(index, uri, pos);
  if (!e) return null;
  // The key, then what the runs saw (values first), then the static facts and other sites.
  const sections = [heading(e)];
  for (const a of annotators) sections.push(...(a.hover?.(e) ?? []));
  sections.push(...facts(e), ...otherSites(index, e));
  return { contents: { kind: 'markdown', value: sections.join('\n\n') }, range: e.range };
}

function heading(e: SiteEntry): string {
  const s = e.site;
  const what = `${verb(s.kind)} · ${escapeMarkdown(s.api)}`;
  if (s.key !== null) return `**${escapeMarkdown(s.key)}** — ${what}`;
  if (s.pattern !== null) return `**${escapeMarkdown(s.pattern)}** (pattern) — ${what}`;
  if (s.kind === 'clear') return `clears the environment — ${escapeMarkdown(s.api)}`;
  if (s.kind === 'environ') return `reads the whole environment — ${escapeMarkdown(s.api)}`;
  if (s.kind === 'source') return `loads ${escapeMarkdown(sourceFiles(s.options))} into the environment — ${escapeMarkdown(s.api)}`;
  return `dynamic key — ${what}`;
}

function facts(e: SiteEntry): string[] {
  const s = e.site;
  const lines: string[] = [];
  if (s.default !== null) lines.push(`Default: "${escapeMarkdown(truncate(s.default))}"`);
  if (s.function !== null) lines.push(`In function ${escapeMarkdown(s.function)}`);
  if (s.options && s.options.length > 0) lines.push(`Options: ${s.options.map(escapeMarkdown).join(', ')}`);
  return lines.length ? [lines.join('  \n')] : [];
}

function otherSites(index: SiteIndex, e: SiteEntry): string[] {
  const name = e.site.key ?? e.site.pattern;
  if (name === null) return [];
  const others = sitesOfGroup(index, e).filter((o) => !sameSite(o, e));
  if (others.length === 0) return [`No other sites of ${escapeMarkdown(name)}.`];
  const items = others.slice(0, MAX_LISTED).map((o) => item(o, name));
  if (others.length > MAX_LISTED) items.push(`- … and ${others.length - MAX_LISTED} more`);
  return [`Other sites of ${escapeMarkdown(name)} (${others.length}):\n\n${items.join('\n')}`];
}

function item(o: SiteEntry, group: string): string {
  const s = o.site;
  const label = `${s.file}:${s.line}`;
  const where = s.function !== null ? ` in ${escapeMarkdown(s.function)}` : '';
  const key = s.key ?? s.pattern;
  const name = key !== null && key !== group ? `${escapeMarkdown(key)} ` : '';
  return `- ${link(label, lineLink(o.uri, s.line, s.column))} — ${name}${verb(s.kind)} · ${escapeMarkdown(s.api)}${where}`;
}

/** Longest default shown in full. */
const MAX_DEFAULT = 200;

function truncate(text: string): string {
  return text.length > MAX_DEFAULT ? `${text.slice(0, MAX_DEFAULT)}…` : text;
}
