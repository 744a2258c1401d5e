/** The text form of a run diff (`envtrace diff --format text`): one line per key and difference. */
import type { DiffValue, KeyDiff, RunDiff } from './diff';
import type { ServiceDiff, ServiceSide } from './fleetDiff';
import { escapeControls } from '../runs/text';

const MAX_VALUE = 60;
const MAX_VALUES = 3;

/** A value as the text diff shows it: quoted and truncated, or `•••` for a redacted one. */
export function valueText(v: DiffValue): string {
  if (v.redacted) return `••• (${v.length ?? 0} chars, hash ${escapeControls((v.hash ?? '').slice(0, 8))})`;
  if (v.value === undefined) return '(other values)';
  const s = v.value.length > MAX_VALUE ? v.value.slice(0, MAX_VALUE - 1) + '…' : v.value;
  return JSON.stringify(s);
}

function valuesText(vs: DiffValue[]): string {
  const shown = vs.slice(0, MAX_VALUES).map((v) => `${valueText(v)} (×${v.count})`);
  if (vs.length > MAX_VALUES) shown.push(`+${vs.length - MAX_VALUES} more`);
  return shown.join(', ') || 'nothing';
}

function keyLines(d: KeyDiff, width: number): string[] {
  const changes: [string, string][] = [];
  if (d.readOnlyIn) {
    const s = d.readOnlyIn === 'a' ? d.a! : d.b!;
    const what = s.unsetReads === s.reads ? 'unset' : valuesText(s.values);
    changes.push([d.readOnlyIn === 'a' ? '-' : '+', `read only in ${d.readOnlyIn.toUpperCase()} (×${s.reads}): ${what}`]);
  }
  if (d.unsetIn) {
    const other = d.unsetIn === 'a' ? d.b! : d.a!;
    changes.push(['!', `unset in ${d.unsetIn.toUpperCase()}, set in ${d.unsetIn === 'a' ? 'B' : 'A'}: ${valuesText(other.values)}`]);
  }
  if (d.valuesChanged) changes.push(['~', `values changed: ${valuesText(d.a!.values)} → ${valuesText(d.b!.values)}`]);
  if (d.sitesOnlyInA.length) changes.push(['>', `reached only in A: ${escapeControls(d.sitesOnlyInA.join(', '))}`]);
  if (d.sitesOnlyInB.length) changes.push(['>', `reached only in B: ${escapeControls(d.sitesOnlyInB.join(', '))}`]);
  const key = escapeControls(d.key);
  return changes.map(([mark, text], i) => (i === 0 ? `${mark} ${key.padEnd(width)}  ${text}` : `  ${' '.repeat(width)}  ${text}`));
}

/** The whole text diff, ending with a newline. */
export function renderDiffText(diff: RunDiff): string {
  const label = (r: RunDiff['a']) => escapeControls(`${r.id}${r.label ? ` (${r.label})` : ''}${r.exitCode === null ? '' : ` · exit ${r.exitCode}`}`);
  const out = [`A: ${label(diff.a)}`, `B: ${label(diff.b)}`];
  const width = Math.min(32, Math.max(0, ...diff.keys.map((k) => escapeControls(k.key).length)));
  for (const d of diff.keys) out.push(...keyLines(d, width));
  const n = diff.keys.length;
  out.push(n === 0 ? `no differences (${diff.unchanged} keys compared)` : `${n} key${n === 1 ? '' : 's'} differ, ${diff.unchanged} unchanged`);
  return out.join('\n') + '\n';
}

/** Where a side's processes ran: ` on 12 pods (a, b, c, +9)`, ` on host dev`, or nothing when unknown. */
function placesText(s: ServiceSide): string {
  const names = s.names.map(escapeControls);
  if (s.places > 1) return ` on ${s.places} ${s.kind}s${names.length ? ` (${names.slice(0, PLACES_SHOWN).join(', ')}${names.length > PLACES_SHOWN ? `, +${names.length - PLACES_SHOWN}` : ''})` : ''}`;
  return names.length === 1 ? ` on ${s.kind} ${names[0]}` : '';
}

/** Places named per side before `+N`. */
const PLACES_SHOWN = 3;

/**
 * The per-service part of a fleet diff: `per service:`, then per service a line
 * `[api] A: 12 processes on 12 pods (shop/api-0, shop/api-1, shop/api-2, +9) · B: 1 process on
 * host dev` and its key lines (or `no differences`).
 */
export function renderServicesText(services: readonly ServiceDiff[]): string {
  const side = (s: ServiceSide | null) => (s ? `${s.processes} process${s.processes === 1 ? '' : 'es'}${placesText(s)}` : 'none');
  const out = ['per service:'];
  for (const sv of services) {
    out.push(`[${escapeControls(sv.service || '(no service)')}] A: ${side(sv.a)} · B: ${side(sv.b)}`);
    if (!sv.a || !sv.b) continue;
    const width = Math.min(32, Math.max(0, ...sv.keys.map((k) => escapeControls(k.key).length)));
    for (const d of sv.keys) out.push(...keyLines(d, width).map((l) => '  ' + l));
    if (!sv.keys.length) out.push(`  no differences (${sv.unchanged} keys compared)`);
  }
  return out.join('\n') + '\n';
}
