/**
 * `.env` files in the editor (issue 6), as pure functions of the site index, the `.env`
 * index and (optionally) what the shown runs observed: a lens per key (its readers and the
 * observed value), go-to-definition from a read to the `.env` lines defining its key,
 * references from a `.env` key to its readers, hovers both ways, and diagnostics (a Hint for
 * keys nothing reads, a Warning for a required read defined nowhere and unset in the run).
 */
import { DiagnosticSeverity, type CodeLens, type Diagnostic, type Hover, type Location, type Position } from 'vscode-languageserver-protocol';
import type { SiteObservation } from '../analysis/merge';
import { LENS_VALUE_CHARS, quoteValue } from '../analysis/runtimeText';
import type { DotenvEntry, DotenvFile, DotenvRange } from '../scan/dotenv';
import { isSecretKey, isSecretValue, shownValue } from '../tracer/secrets';
import { ShowSitesCommand, type ShowSitesArguments } from '../protocol';
import { escapeMarkdown, lineLink, link } from './markdown';
import type { SiteAnnotator, SiteEntry, SiteIndex } from './model';
import { baseName, patternRegExp, siteAt, sortEntries } from './sites';

/** The `.env` files as the features read them. */
export interface DotenvIndex {
  fileAt(uri: string): DotenvFile | undefined;
  definitions(key: string): readonly { uri: string; entry: DotenvEntry }[];
  uris(): string[];
}

/** What the shown runs observed at sites, in the order given (null: no run shown; an item is null when its folder has none). */
export interface KeyObservations {
  observe(entries: readonly SiteEntry[]): (SiteObservation | null)[] | null;
}

/** Diagnostic codes of the `.env` features. */
export const UNUSED_CODE = 'envtrace.dotenvUnused';
export const REQUIRED_CODE = 'envtrace.requiredUnset';

function toRange(r: DotenvRange): Location['range'] {
  return { start: { line: r.line, character: r.start }, end: { line: r.line, character: r.end } };
}

function within(r: DotenvRange, pos: Position): boolean {
  return pos.line === r.line && pos.character >= r.start && pos.character <= r.end;
}

/** The sites that read `key`: by the key itself or by a pattern it matches. */
export function readersOf(index: SiteIndex, key: string): SiteEntry[] {
  const out = index.withKey(key).filter((e) => e.site.kind === 'read');
  for (const p of index.patterns()) if (patternRegExp(p).test(key)) out.push(...index.withPattern(p).filter((e) => e.site.kind === 'read'));
  return sortEntries(out);
}

/** The key (and its range) of a `.env` definition or `${VAR}` reference at `pos`. */
function keyAt(file: DotenvFile | undefined, pos: Position): { key: string; range: DotenvRange; definition: boolean } | null {
  for (const e of file?.entries ?? []) {
    if (within(e.keyRange, pos)) return { key: e.key, range: e.keyRange, definition: true };
    for (const r of e.refs) if (within(r.range, pos)) return { key: r.name, range: r.range, definition: false };
  }
  return null;
}

/** `observed "8080"`, `unset in the shown run`, `not read in the shown run`; null without runs. */
function observedText(runs: KeyObservations | undefined, readers: SiteEntry[], key: string): string | null {
  if (!runs || readers.length === 0) return null;
  const obs = runs.observe(readers);
  if (!obs) return null;
  const values = new Map<string, number>();
  let reached = false;
  for (const o of obs) {
    if (!o) continue;
    reached ||= o.reached;
    for (const v of o.values) {
      if (v.unset || v.other || (v.key !== null && v.key !== key)) continue;
      const text = v.redacted ? `••• (${v.length ?? 0} chars)` : quoteValue(v.value ?? '', LENS_VALUE_CHARS);
      values.set(text, (values.get(text) ?? 0) + v.count);
    }
  }
  if (!reached) return 'not read in the shown run';
  const top = [...values].sort((a, b) => b[1] - a[1]);
  if (top.length === 0) return 'unset in the shown run';
  return `observed ${top[0][0]}${top.length > 1 ? ` (+${top.length - 1} more)` : ''}`;
}

/** `read in main.go`, `read in 3 places`, `not read by any site`. */
function readersText(readers: SiteEntry[]): string {
  if (readers.length === 0) return 'not read by any site';
  return readers.length === 1 ? `read in ${baseName(readers[0])}` : `read in ${readers.length} places`;
}

/** Code lenses of a `.env` document: one per key, naming its readers and the observed value. */
export function dotenvLenses(dotenv: DotenvIndex, index: SiteIndex, uri: string, runs?: KeyObservations): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const e of dotenv.fileAt(uri)?.entries ?? []) {
    const readers = readersOf(index, e.key);
    const parts = [e.key, readersText(readers)];
    const observed = observedText(runs, readers, e.key);
    if (observed) parts.push(observed);
    const range = { start: toRange(e.keyRange).start, end: toRange(e.keyRange).start };
    const title = parts.join(' · ');
    if (readers.length === 0) lenses.push({ range, command: { title, command: '' } });
    else {
      const args: ShowSitesArguments = [uri, range.start, readers.map((r) => ({ uri: r.uri, range: r.range }))];
      lenses.push({ range, command: { title, command: ShowSitesCommand, arguments: args } });
    }
  }
  return lenses;
}

/** Go-to-definition: from a read site (or a `${VAR}` in a `.env` file) to the `.env` lines defining the key. */
export function dotenvDefinition(dotenv: DotenvIndex, index: SiteIndex, uri: string, pos: Position): Location[] | null {
  const at = keyAt(dotenv.fileAt(uri), pos);
  const key = at ? at.key : siteAt(index, uri, pos)?.site.key;
  if (!key) return null;
  const defs = dotenv.definitions(key);
  return defs.length ? defs.map((d) => ({ uri: d.uri, range: toRange(d.entry.keyRange) })) : null;
}

/** References from a `.env` key: the sites that read it (and with the declaration, every `.env` definition). */
export function dotenvReferences(dotenv: DotenvIndex, index: SiteIndex, uri: string, pos: Position, includeDeclaration: boolean): Location[] | null {
  const at = keyAt(dotenv.fileAt(uri), pos);
  if (!at) return null;
  const out: Location[] = readersOf(index, at.key).map((e) => ({ uri: e.uri, range: e.range }));
  if (includeDeclaration) out.push(...dotenv.definitions(at.key).map((d) => ({ uri: d.uri, range: toRange(d.entry.keyRange) })));
  return out;
}

/** Hover on a `.env` key: its readers as links and the value observed in the shown run. */
export function dotenvHover(dotenv: DotenvIndex, index: SiteIndex, uri: string, pos: Position, runs?: KeyObservations): Hover | null {
  const at = keyAt(dotenv.fileAt(uri), pos);
  if (!at) return null;
  const readers = readersOf(index, at.key);
  const sections = [`**${escapeMarkdown(at.key)}** — ${escapeMarkdown(readersText(readers))}`];
  const observed = observedText(runs, readers, at.key);
  if (observed) sections.push(escapeMarkdown(observed));
  if (readers.length) {
    sections.push(readers.slice(0, 20).map((r) => `- ${link(`${r.site.file}:${r.site.line}`, lineLink(r.uri, r.site.line, r.site.column))} — ${escapeMarkdown(r.site.api)}`).join('\n'));
  }
  return { contents: { kind: 'markdown', value: sections.join('\n\n') }, range: toRange(at.range) };
}

/** The values of secret keys (and secret-looking values) in every `.env` file: a copy under another key is redacted too. */
function secretValues(dotenv: DotenvIndex, patterns: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const uri of dotenv.uris()) {
    for (const e of dotenv.fileAt(uri)?.entries ?? []) if (isSecretKey(e.key, patterns) || isSecretValue(e.value)) out.add(e.value);
  }
  return out;
}

/** Adds to the hover of a read site the `.env` lines that define its key (secret values redacted). */
export function dotenvAnnotator(dotenv: DotenvIndex, redactPatterns: () => readonly string[] = () => []): SiteAnnotator {
  return {
    hover(entry: SiteEntry): readonly string[] {
      const key = entry.site.key;
      if (key === null || entry.site.kind !== 'read') return [];
      const defs = dotenv.definitions(key);
      if (defs.length === 0) return [];
      const known = secretValues(dotenv, redactPatterns());
      const items = defs.map((d) => {
        const name = d.uri.slice(d.uri.lastIndexOf('/') + 1);
        const where = link(`${decodeURIComponent(name)}:${d.entry.keyRange.line + 1}`, lineLink(d.uri, d.entry.keyRange.line + 1, d.entry.keyRange.start + 1));
        return `- ${where} — ${escapeMarkdown(key)}=${escapeMarkdown(shownValue(key, d.entry.value, redactPatterns(), known))}`;
      });
      return [`Defined in .env files (${defs.length}):\n\n${items.join('\n')}`];
    },
  };
}

/**
 * Diagnostics by URI: a Hint on each `.env` key no site reads (nor any `${VAR}` of a `.env`
 * file), and a Warning on each `required` read whose key no `.env` file defines and that the
 * shown run observed unset.
 */
export function dotenvDiagnostics(dotenv: DotenvIndex, index: SiteIndex, runs?: KeyObservations): Map<string, Diagnostic[]> {
  // Warnings on Go files first: a client that saw the `.env` diagnostics has seen these too.
  const out = new Map<string, Diagnostic[]>();
  const required = [...index.all()].filter((e) => e.site.kind === 'read' && e.site.key !== null && e.site.options?.includes('required') && dotenv.definitions(e.site.key).length === 0);
  const observed = required.length && runs ? runs.observe(required) : null;
  required.forEach((e, i) => {
    const o = observed?.[i];
    if (!o || !o.reached || o.values.some((v) => !v.unset)) return;
    const list = out.get(e.uri) ?? [];
    list.push({ range: e.range, severity: DiagnosticSeverity.Warning, source: 'envtrace', code: REQUIRED_CODE, message: `${e.site.key} is required but no .env file defines it, and it was unset in the shown run` });
    out.set(e.uri, list);
  });
  const referenced = new Set<string>();
  for (const uri of dotenv.uris()) for (const e of dotenv.fileAt(uri)?.entries ?? []) for (const r of e.refs) referenced.add(r.name);
  for (const uri of dotenv.uris()) {
    const list: Diagnostic[] = [];
    for (const e of dotenv.fileAt(uri)?.entries ?? []) {
      if (referenced.has(e.key) || readersOf(index, e.key).length > 0) continue;
      list.push({ range: toRange(e.keyRange), severity: DiagnosticSeverity.Hint, source: 'envtrace', code: UNUSED_CODE, message: `${e.key} is not read by any env site of the workspace` });
    }
    out.set(uri, list);
  }
  return out;
}
