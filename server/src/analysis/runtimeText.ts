/**
 * Plain-text facts of a site's observations in the words of issue 4, for the features to
 * place: the code lens title part, the inlay hint label, and diagnostics as data. No
 * markdown here (hovers escape on their side); values are JSON-quoted and cut, so control
 * characters and newlines of untrusted values never reach the editor raw.
 */
import type { SiteObservation } from './merge';
import { validLine } from '../runs/frames';

/** Longest value shown in a lens; inlay hints are shorter. */
export const LENS_VALUE_CHARS = 40;
export const INLAY_VALUE_CHARS = 24;

/** A value, JSON-quoted and cut to `max` characters (the cut marked with …). */
export function quoteValue(value: string, max: number): string {
  const cut = [...value].length > max ? [...value].slice(0, max - 1).join('') + '…' : value;
  return JSON.stringify(cut);
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/** Keys listed in a hover or a diagnostic; a site that read 100,000 keys names the first ones and counts the rest. */
export const MAX_KEYS_LISTED = 20;

/** The first MAX_KEYS_LISTED keys, formatted, and `+N more`. */
export function listKeys<K>(keys: readonly K[], show: (k: K) => string): string {
  const shown = keys.slice(0, MAX_KEYS_LISTED).map(show);
  if (keys.length > MAX_KEYS_LISTED) shown.push(`+${keys.length - MAX_KEYS_LISTED} more`);
  return shown.join(', ');
}

/** The name a site goes by: its key, pattern, or `dynamic key`. */
function siteName(o: SiteObservation): string {
  return o.site.key ?? o.site.pattern ?? (o.keys.length ? o.keys.map((k) => k.key).slice(0, 3).join(', ') + (o.keys.length > 3 ? ', …' : '') : 'dynamic key');
}

/** Keys a lens names one by one at a site that saw several; beyond that it counts them. */
const MAX_LENS_KEYS = 3;
/** Longest value per key when a lens names several keys. */
const KEY_VALUE_CHARS = 20;

/**
 * The lens text of a site with runtime data: `PORT = "8080" · 3 reads · 2 processes`,
 * `REGION unset → default "eu-west-1"`, `DB_PASSWORD = ••• (24 chars)`, a race warning first,
 * or `not reached in the shown run(s)`. A site that saw several keys (a helper's
 * `os.Getenv(key)`, a pattern) names each key with its own value, or counts them
 * (`27 keys: A = "x", B unset, …`); an environ site says what it took.
 */
export function lensText(o: SiteObservation, runsShown = 1): string {
  if (!o.reached) return `${siteName(o)} not reached in the shown run${runsShown === 1 ? '' : 's'}`;
  const parts: string[] = [];
  // Short: the level and the key when it is not the site's own; who and where are in the hover.
  for (const r of o.races.slice(0, 1)) parts.push(`⚠ ${r.level} race${r.key === o.site.key ? '' : ` on ${r.key}`}`);
  const name = siteName(o);
  const found = o.values.filter((v) => !v.unset);
  const top = found[0];
  const isRead = o.site.kind !== 'write' && o.site.kind !== 'unset' && o.site.kind !== 'clear' && o.site.kind !== 'environ';
  const what = isRead ? 'read' : o.site.kind === 'write' ? 'write' : o.site.kind === 'unset' ? 'unset' : 'call';
  const processes = plural(o.processCount, 'process', 'processes');
  if (o.fleet && o.keys.length <= 1 && o.site.kind !== 'environ' && o.site.kind !== 'clear') {
    parts.push(fleetLensText(o, name, o.fleet));
  } else if (o.site.kind === 'environ') {
    parts.push(`reads the whole environment${o.environVars ? ` (${plural(o.environVars, 'variable')})` : ''} · ${plural(o.count, 'call')} · ${processes}`);
  } else if (o.keys.length > 1 && o.site.kind !== 'clear') {
    const each = o.keys.slice(0, MAX_LENS_KEYS).map((k) => keyValueText(o, k.key, isRead));
    const lead = o.keys.length > MAX_LENS_KEYS ? `${o.keys.length} keys: ${each.slice(0, 2).join(', ')}, …` : each.join(', ');
    parts.push(`${lead} · ${plural(o.count, what)} · ${processes}`);
  } else if (!isRead) {
    parts.push(top ? `${name} ← ${valueText(top, LENS_VALUE_CHARS)}${more(found.length)} · ${plural(o.count, what)}` : `${name} · ${plural(o.count, what)}`);
  } else if (!top) {
    parts.push(`${name} unset${o.site.default !== null ? ` → default ${quoteValue(o.site.default, LENS_VALUE_CHARS)}` : ''}${o.count > 1 ? ` · ${plural(o.count, 'read')}` : ''}`);
  } else {
    const unset = o.unset ? ` (${o.unset} unset)` : '';
    parts.push(`${name} = ${valueText(top, LENS_VALUE_CHARS)}${more(found.length)} · ${plural(o.count, 'read')}${unset} · ${processes}`);
  }
  return parts.join(' · ');
}

/** Values a fleet lens names (by processes, most first); the rest are counted. */
const MAX_FLEET_VALUES = 3;

/** `PORT · 37 processes on 12 pods · "8080" ×35 · unset ×2`: each value with the processes that saw it. */
function fleetLensText(o: SiteObservation, name: string, fleet: NonNullable<SiteObservation['fleet']>): string {
  const places = plural(fleet.places, fleet.kind);
  const byProcs = [...o.values].sort((a, b) => b.processes - a.processes || b.count - a.count);
  const shown = byProcs.slice(0, MAX_FLEET_VALUES).map((v) => `${v.unset ? 'unset' : valueText(v, KEY_VALUE_CHARS)} ×${v.processes}`);
  if (byProcs.length > MAX_FLEET_VALUES) shown.push(`+${plural(byProcs.length - MAX_FLEET_VALUES, 'other value')}`);
  return [name, `${plural(fleet.processes, 'process', 'processes')} on ${places}`, ...shown].join(' · ');
}

/** One key of a multi-key site with its own most frequent value: `PORT = "9090"`, `WORKERS unset`. */
function keyValueText(o: SiteObservation, key: string, isRead: boolean): string {
  const found = o.values.filter((v) => v.key === key && !v.unset);
  if (!found.length) return `${key} unset`;
  return `${key} ${isRead ? '=' : '←'} ${valueText(found[0], KEY_VALUE_CHARS)}${more(found.length)}`;
}

function more(n: number): string {
  return n > 1 ? ` (+${plural(n - 1, 'other value')})` : '';
}

function valueText(v: SiteObservation['values'][number], max: number): string {
  const failed = v.failed ? 'failed ' : '';
  if (v.redacted) return `${failed}••• (${v.length ?? 0} chars)`;
  if (v.other) return '(other values)';
  return failed + quoteValue(v.value ?? '', max);
}

/** The note of a lens whose data comes from an earlier run than the shown one: `from an earlier run (go run .)`. */
export function earlierRunText(run: { id: string; label: string | null; command: readonly string[] }): string {
  const name = run.label || run.command.join(' ') || run.id;
  return `from an earlier run (${[...name].length > 30 ? [...name].slice(0, 29).join('') + '…' : name})`;
}

/**
 * The inlay hint after a read: the value the caller got — `= "8080"`, `= "8080" (default)`
 * when the key was unset and the call has a default, `= unset`, `= •••`; null when there is
 * nothing to say or the site saw several keys (its lens names each one).
 */
export function inlayText(o: SiteObservation): string | null {
  if (!o.reached || (o.site.kind !== 'read' && !o.values.some((v) => v.op === 'getenv'))) return null;
  if (o.keys.length > 1) return null;
  const top = o.values.find((v) => !v.unset);
  if (!top) return o.site.default !== null ? `= ${quoteValue(o.site.default, INLAY_VALUE_CHARS)} (default)` : '= unset';
  if (top.redacted) return '= •••';
  return `= ${valueText(top, INLAY_VALUE_CHARS)}`;
}

/** A diagnostic as data; the features turn it into an LSP Diagnostic. */
export interface Finding {
  code: 'envtrace.unset' | 'envtrace.race' | 'envtrace.keys';
  severity: 'information' | 'warning' | 'hint';
  message: string;
  /** Related places (the writing side of a race): absolute file and 1-based line. */
  related: { file: string; line: number; message: string }[];
}

/** The diagnostics of one site: unset without default, races, keys of a dynamic-key site. */
export function findings(o: SiteObservation, root: string): Finding[] {
  const out: Finding[] = [];
  const key = siteName(o);
  // LookupEnv-style APIs report absence to the code, which then handles it: not a finding.
  const checksPresence = o.site.api === 'os.LookupEnv' || o.site.api === 'syscall.Getenv';
  if (o.site.kind === 'read' && o.unset > 0 && o.site.default === null && !checksPresence && (o.site.key !== null || o.site.pattern !== null)) {
    out.push({ code: 'envtrace.unset', severity: 'information', message: `${key} was unset in the shown run (${plural(o.unset, 'read')}) and this read has no default`, related: [] });
  }
  for (const r of o.races) {
    const related = r.others
      .filter((x) => x.file !== null && validLine(x.line))
      .map((x) => ({
        file: x.relFile !== null ? `${root.replace(/[\\/]+$/, '')}/${x.relFile}` : x.file!,
        line: x.line!,
        message: `${x.op === 'getenv' ? 'read' : 'written'} by goroutine ${x.goroutine} (${x.api}, pid ${x.pid})`,
      }));
    out.push({ code: 'envtrace.race', severity: 'warning', message: `${r.level} race on ${r.key}: ${r.detail}`, related });
  }
  if (o.site.key === null && o.keys.length) {
    out.push({ code: 'envtrace.keys', severity: 'hint', message: `observed keys: ${listKeys(o.keys, (k) => `${k.key} (×${k.count})`)}`, related: [] });
  }
  return out;
}
