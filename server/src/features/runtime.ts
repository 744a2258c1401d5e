/**
 * The runtime layer of lenses and hovers: what the shown runs observed at a site (values,
 * unset reads, callers, processes, races, runs), as a {@link SiteAnnotator}. Every piece of
 * run data is escaped here; the hover's markdown is never trusted by the client.
 */
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { CallerFrame, LibraryCall, SiteObservation } from '../analysis/merge';
import type { FleetSpread } from '../analysis/fleet';
import { osPid } from '../runs/fleetGroups';
import { earlierRunText, lensText, listKeys, quoteValue } from '../analysis/runtimeText';
import type { ObservedFile } from '../workspace/observed';
import { escapeMarkdown, lineLink, link } from './markdown';
import { lineText } from '../runs/frames';
import { escapeControls } from '../runs/text';
import type { SiteAnnotator, SiteEntry } from './model';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Values shown in a hover table, and their length. */
const MAX_ROWS = 10;
const HOVER_VALUE_CHARS = 80;
const MAX_PROCESS_LINES = 5;
const MAX_CALLER_LINES = 5;
const MAX_RACE_LINES = 2;

/** Reads a site's observations (null/undefined without runs). */
export type SiteObservations = (e: SiteEntry) => { o: SiteObservation; file: ObservedFile } | undefined;

/** The annotator that puts runtime data into lenses and hovers. */
export function runtimeAnnotator(observe: SiteObservations): SiteAnnotator {
  return {
    lens(entries) {
      const parts: string[] = [];
      for (const e of entries) {
        const seen = observe(e);
        if (!seen) return [];
        const text = lensText(seen.o, seen.file.runs.length);
        parts.push(seen.file.earlier ? `${text} · ${earlierRunText(seen.file.runs[0])}` : text);
      }
      return parts;
    },
    hover(e) {
      const seen = observe(e);
      return seen ? runtimeHover(seen.o, seen.file) : [];
    },
  };
}

/** Lenses on lines (without sites of their own) where a library read env: `reads APP_HOST, APP_PORT through a library (×3)`. */
export function libraryLenses(calls: readonly LibraryCall[], siteLines: ReadonlySet<number>): CodeLens[] {
  return calls
    .filter((c) => !siteLines.has(c.line - 1) && c.keys.length > 0)
    .map((c) => {
      const keys = c.keys.slice(0, 4).map((k) => k.key).join(', ') + (c.keys.length > 4 ? `, +${c.keys.length - 4} more` : '');
      const n = c.keys.reduce((a, k) => a + k.count, 0);
      const at = { line: c.line - 1, character: 0 };
      return { range: { start: at, end: at }, command: { title: escapeControls(`reads ${keys} through a library (×${n})`), command: '' } };
    });
}

/** The hover sections of one site's observations: markdown, every run value escaped. */
export function runtimeHover(o: SiteObservation, file: ObservedFile): string[] {
  const out: string[] = [];
  if (file.earlier) out.push('_Not reached in the shown run: from the newest earlier run that reached it._');
  if (!o.reached) out.push(`Not reached in the shown run${file.runs.length === 1 ? '' : 's'}.`);
  else {
    out.push(valueTable(o));
    if (o.fleet) out.push(fleetText(o, o.fleet));
    if (o.unset) out.push(`Unset: ${o.unset} read${o.unset === 1 ? '' : 's'} found it unset${o.site.default !== null ? ` (default ${escapeMarkdown(quoteValue(o.site.default, HOVER_VALUE_CHARS))})` : ''}.`);
    if (o.site.key === null && o.keys.length) out.push(`Keys observed: ${listKeys(o.keys, (k) => `${escapeMarkdown(k.key)} ×${k.count}`)}`);
    out.push(...racesText(o, file.root));
    if (o.callers.length) out.push(callersText(o));
    if (o.processes.length) out.push(processesText(o));
  }
  out.push(runsText(o, file));
  if (file.problems.length) out.push(`_Note: part of the run data could not be read: ${file.problems.map((p) => escapeMarkdown(escapeControls(p))).join('; ')}._`);
  return out;
}

function valueTable(o: SiteObservation): string {
  const keyed = o.site.key === null;
  // Only the columns that say something: processes when several, tests when any.
  const withProcs = o.processCount > 1;
  const withTests = o.values.some((v) => v.tests.length > 0);
  const head = [...(keyed ? ['key'] : []), 'value', 'count', ...(withProcs ? ['processes'] : []), 'goroutines', ...(withTests ? ['tests'] : [])];
  const align = head.map((h) => (h === 'key' || h === 'value' || h === 'tests' ? '---' : '---:'));
  const rows = o.values.slice(0, MAX_ROWS).map((v) => {
    const value = v.unset ? 'unset' : v.other ? '(other values)' : v.redacted ? `••• (${v.length ?? 0} chars)` : escapeMarkdown(quoteValue(v.value ?? '', HOVER_VALUE_CHARS));
    const op = v.op === 'getenv' ? '' : `${v.failed ? 'failed ' : ''}${v.op} `;
    const tests = v.tests.length ? v.tests.slice(0, 3).map(escapeMarkdown).join(', ') + (v.tests.length > 3 ? ` +${v.tests.length - 3}` : '') : '—';
    const cells = [...(keyed ? [escapeMarkdown(v.key ?? '—')] : []), `${escapeMarkdown(op)}${value}`, String(v.count), ...(withProcs ? [String(v.processes)] : []), String(v.goroutines), ...(withTests ? [tests] : [])];
    return `| ${cells.join(' | ')} |`;
  });
  const more = o.values.length > MAX_ROWS ? `\n\n… and ${o.values.length - MAX_ROWS} more values` : '';
  const total = `${o.count} event${o.count === 1 ? '' : 's'} · ${o.processCount} process${o.processCount === 1 ? '' : 'es'} · ${o.goroutines} goroutine${o.goroutines === 1 ? '' : 's'}${o.tests.length ? ` · ${o.tests.length} test${o.tests.length === 1 ? '' : 's'}` : ''}`;
  return `**Observed** — ${total}\n\n| ${head.join(' | ')} |\n|${align.join('|')}|\n${rows.join('\n')}${more}`;
}

/** Pods (or hosts) named per service and value in a hover; the rest are counted. */
const MAX_HOVER_PLACES = 6;

/** Which pods (or hosts) of which services saw each value: one line per value, most processes first. */
function fleetText(o: SiteObservation, fleet: NonNullable<SiteObservation['fleet']>): string {
  const text = (t: string) => escapeMarkdown(escapeControls(t));
  const kinds = fleet.kind === 'pod' ? 'pods' : 'hosts';
  const where = (s: FleetSpread['services'][number]) => {
    const names = s.places.slice(0, MAX_HOVER_PLACES).map(text).join(', ');
    const more = s.placeCount > MAX_HOVER_PLACES ? `, +${s.placeCount - MAX_HOVER_PLACES} more` : '';
    return `${s.service ? `**${text(s.service)}** on ` : ''}${names}${more}`;
  };
  const values = [...o.values].filter((v) => v.fleet).sort((a, b) => b.processes - a.processes || b.count - a.count);
  const lines = values.slice(0, MAX_ROWS).map((v) => {
    const value = v.unset ? 'unset' : v.other ? '(other values)' : v.redacted ? `••• (${v.length ?? 0} chars)` : escapeMarkdown(quoteValue(v.value ?? '', HOVER_VALUE_CHARS));
    const n = v.fleet!.processes;
    return `- ${value} — ${n} process${n === 1 ? '' : 'es'}: ${v.fleet!.services.map(where).join('; ')}`;
  });
  if (values.length > MAX_ROWS) lines.push(`- … and ${values.length - MAX_ROWS} more values`);
  const services = fleet.services.filter((s) => s.service).length;
  const head = `**Fleet** — ${fleet.processes} process${fleet.processes === 1 ? '' : 'es'} on ${fleet.places} ${fleet.places === 1 ? fleet.kind : kinds}${services ? `, ${services} service${services === 1 ? '' : 's'}` : ''}`;
  return `${head}\n\n${lines.join('\n')}`;
}

function frameLink(f: CallerFrame): string {
  const label = `${f.relFile ?? f.file}:${lineText(f.line)}`;
  if (f.kind !== 'workspace') return `${escapeMarkdown(label)} (${escapeMarkdown(f.function)})`;
  return `${link(label, lineLink(pathToFileURL(f.file).href, f.line, 1))} ${escapeMarkdown(f.function)}`;
}

/**
 * The callers, grouped by their workspace frames (stacks that differ only inside the
 * standard library or a module look the same to the user); a stack without workspace
 * frames shows its first frame outside the standard library, else its first frame.
 */
function callersText(o: SiteObservation): string {
  const groups = new Map<string, { count: number; frames: CallerFrame[] }>();
  for (const c of o.callers) {
    const ws = c.frames.filter((f) => f.kind === 'workspace');
    const shown = ws.length ? ws.slice(0, 4) : [c.frames.find((f) => f.kind === 'library') ?? c.frames[0]].filter((f): f is CallerFrame => !!f);
    const id = shown.map((f) => `${f.file}:${f.line}`).join('\u0000');
    const g = groups.get(id);
    if (g) g.count += c.count;
    else groups.set(id, { count: c.count, frames: shown });
  }
  const lines = [...groups.values()]
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_CALLER_LINES)
    .map((g) => `- ×${g.count}: ${g.frames.map(frameLink).join(' ← ')}`);
  const n = groups.size;
  return `Callers (${n} distinct place${n === 1 ? '' : 's'} in the code, most frequent first):\n\n${lines.join('\n')}`;
}

function processesText(o: SiteObservation): string {
  const lines = o.processes.slice(0, MAX_PROCESS_LINES).map((p) => `- pid ${osPid(p.pid)}: ${escapeMarkdown(escapeControls(p.argv.join(' ').slice(0, 200)))}`);
  if (o.processCount > lines.length) lines.push(`- … and ${o.processCount - lines.length} more`);
  return `Processes (${o.processCount}):\n\n${lines.join('\n')}`;
}

/** One line per race: level, key, the other side's goroutine and a link to its place. */
function raceText(r: SiteObservation['races'][number], root: string): string {
  const x = r.others[0];
  const verb = r.role === 'reader' ? 'written' : x?.op === 'getenv' ? 'read' : 'written';
  const local = x && x.relFile !== null ? join(root, x.relFile) : (x?.file ?? null);
  const at = !x || local === null ? 'an unknown place' : link(`${x.relFile ?? local}:${lineText(x.line)}`, lineLink(pathToFileURL(local).href, x.line ?? 1, 1));
  const more = r.others.length > 1 ? ` (+${r.others.length - 1} more)` : '';
  const who = x ? `${verb} by goroutine ${x.goroutine} (${escapeMarkdown(x.api)}) at ${at}${more}` : escapeMarkdown(r.detail);
  return `⚠ **${escapeMarkdown(r.level)} race on ${escapeMarkdown(r.key)}**: ${who}`;
}

/** The races of a site: one line each, one per key (the first run's), at most MAX_RACE_LINES. */
function racesText(o: SiteObservation, root: string): string[] {
  const byKey = new Map<string, SiteObservation['races'][number]>();
  for (const r of o.races) if (!byKey.has(r.key)) byKey.set(r.key, r);
  const lines = [...byKey.values()].slice(0, MAX_RACE_LINES).map((r) => raceText(r, root));
  if (byKey.size > MAX_RACE_LINES) lines.push(`… and ${byKey.size - MAX_RACE_LINES} more races (see the Problems view)`);
  return lines.length ? [lines.join('  \n')] : [];
}

function runsText(o: SiteObservation, file: ObservedFile): string {
  const text = (t: string) => escapeMarkdown(escapeControls(t));
  const name = (r: ObservedFile['runs'][number]) => `${text(r.id)}${r.label ? ` (${text(r.label)})` : ''}${r.command.length ? ` — ${text(r.command.join(' '))}` : ''}`;
  const from = o.reached ? file.runs.filter((r) => o.runs.includes(r.id)) : file.runs;
  const lead = o.reached ? 'From run' : 'Shown run';
  return `${lead}${from.length === 1 ? '' : 's'}: ${from.map(name).join('; ')}`;
}
