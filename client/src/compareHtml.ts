/**
 * The Compare Runs table (webview): keys down, the two runs across, values as the diff holds
 * them (redacted values as hash and length), unset and race badges, changed cells highlighted, sites
 * as links that open the file. No `vscode` import: the panel supplies the link builder.
 */
import { escapeHtml } from './htmlText';
import type { DiffValue, KeyDiff, KeySide, RunDiff } from '../../server/src/analysis/diff';
import type { ServiceDiff, ServiceSide } from '../../server/src/analysis/fleetDiff';

const esc = escapeHtml;

function valueText(v: DiffValue): string {
  if (v.redacted) return `••• (redacted, ${v.length ?? '?'} bytes${v.hash ? `, h=${v.hash.slice(0, 8)}` : ''})`;
  return v.value === undefined ? '(set)' : JSON.stringify(v.value);
}

function cell(side: KeySide | null, changed: boolean, unset: boolean, onlySites: readonly string[], siteLink: (site: string) => string | null): string {
  if (!side) return '<td class="absent">not accessed</td>';
  const badges = [
    unset ? '<span class="badge unset">unset</span>' : '',
    side.race ? `<span class="badge race ${side.race}" title="${side.race} race: a goroutine wrote the key while others read it">${side.race} race</span>` : '',
    side.writes ? `<span class="badge write">${side.writes} write${side.writes === 1 ? '' : 's'}</span>` : '',
  ].join('');
  const values = side.values.map((v) => `<li>${esc(valueText(v))} <span class="count">×${v.count}</span></li>`).join('');
  const sites = side.sites
    .map((s) => {
      const href = siteLink(s);
      const text = esc(s);
      const link = href ? `<a href="${esc(href)}">${text}</a>` : text;
      return `<li${onlySites.includes(s) ? ' class="only"' : ''}>${link}</li>`;
    })
    .join('');
  const reads = `${side.reads} read${side.reads === 1 ? '' : 's'}${side.unsetReads ? `, ${side.unsetReads} unset` : ''}`;
  return `<td class="${changed ? 'changed' : ''}">${badges}<div class="reads">${esc(reads)}</div><ul class="values">${values}</ul><ul class="sites">${sites}</ul></td>`;
}

function row(k: KeyDiff, siteLink: (site: string) => string | null): string {
  const changed = k.valuesChanged || k.readOnlyIn !== null || k.unsetIn !== null;
  return `<tr data-key="${esc(k.key)}"><th scope="row">${esc(k.key)}</th>${cell(k.a, changed, k.unsetIn === 'a', k.sitesOnlyInA, siteLink)}${cell(k.b, changed, k.unsetIn === 'b', k.sitesOnlyInB, siteLink)}</tr>`;
}

/** A fleet's side of one service: `12 processes on 12 pods`, or `none`. */
function sideText(s: ServiceSide | null): string {
  return s ? `${s.processes} process${s.processes === 1 ? '' : 'es'}${s.places > 1 ? ` on ${s.places} ${s.kind}s` : ''}` : 'none';
}

/** One service's cell of a key: `A values → B values`, `same`, or what only one side did. */
function serviceCell(sv: ServiceDiff, key: string): string {
  if (!sv.a || !sv.b) return `<td class="absent">only in ${sv.a ? 'A' : 'B'}</td>`;
  const k = sv.keys.find((x) => x.key === key);
  if (!k) return '<td class="same">same</td>';
  const vals = (side: KeySide | null, unset: boolean) => (!side ? 'not accessed' : unset || side.values.length === 0 ? 'unset' : side.values.slice(0, 3).map((v) => `${valueText(v)} ×${v.count}`).join(', '));
  const changed = k.valuesChanged || k.readOnlyIn !== null || k.unsetIn !== null;
  return `<td class="${changed ? 'changed' : ''}">${esc(vals(k.a, k.unsetIn === 'a'))} → ${esc(vals(k.b, k.unsetIn === 'b'))}</td>`;
}

/** The per-service table of a fleet comparison: keys down, a column per service. */
export function servicesTableHtml(services: readonly ServiceDiff[]): string {
  const keys = [...new Set(services.flatMap((s) => s.keys.map((k) => k.key)))].sort();
  const head = services.map((s) => `<th scope="col" data-service="${esc(s.service)}">${esc(s.service || '(no service)')}<div class="sub">A: ${esc(sideText(s.a))} · B: ${esc(sideText(s.b))}</div></th>`).join('');
  const rows = keys.map((k) => `<tr data-key="${esc(k)}"><th scope="row">${esc(k)}</th>${services.map((s) => serviceCell(s, k)).join('')}</tr>`).join('\n');
  const summary = keys.length ? `per service: ${keys.length} ${keys.length === 1 ? 'key differs' : 'keys differ'} in at least one service` : 'per service: no differences';
  return `<h3 id="services-summary">${esc(summary)}</h3>
<table id="services"><thead><tr><th scope="col">key</th>${head}</tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

/** The table's HTML body for `diff`; `siteLink` turns a `file:line` into a link target (null: plain text). */
export function compareTableHtml(diff: RunDiff, siteLink: (site: string) => string | null, services?: readonly ServiceDiff[]): string {
  const head = (label: string, r: RunDiff['a']) => `<th scope="col">${label}: ${esc(r.label ?? r.id)}<div class="sub">${esc(r.command.join(' '))} · exit ${r.exitCode ?? '?'}</div></th>`;
  const rows = diff.keys.map((k) => row(k, siteLink)).join('\n');
  const summary = diff.keys.length ? `${diff.keys.length} key${diff.keys.length === 1 ? '' : 's'} differ, ${diff.unchanged} unchanged` : `no differences (${diff.unchanged} keys the same)`;
  return `<p id="summary">${esc(summary)}</p>
<table id="compare"><thead><tr><th scope="col">key</th>${head('A', diff.a)}${head('B', diff.b)}</tr></thead>
<tbody>
${rows}
</tbody></table>${services?.length ? '\n' + servicesTableHtml(services) : ''}`;
}

/** The table's stylesheet (theme colours only). */
export const COMPARE_CSS = `
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--vscode-panel-border, #444); padding: 4px 8px; vertical-align: top; text-align: left; }
thead th { background: var(--vscode-editorWidget-background); position: sticky; top: 0; }
.sub, .count, .absent, .reads { color: var(--vscode-descriptionForeground); }
td.changed { background: var(--vscode-diffEditor-insertedTextBackground, rgba(155,185,85,.2)); }
ul { margin: 2px 0; padding-left: 16px; }
li.only { font-weight: bold; }
.badge { display: inline-block; border-radius: 8px; padding: 0 6px; margin-right: 4px; font-size: 90%; }
.badge.unset { background: var(--vscode-inputValidation-warningBackground, #5a4a00); color: var(--vscode-foreground); }
.badge.race { background: var(--vscode-editorWarning-foreground, #cca700); color: var(--vscode-editor-background); }
.badge.write { background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }`;
