/**
 * The text report's process lines (issue 13): where the run's processes ran — service, pod and
 * namespace, container, host — one line per distinct place, with the OS pids that ran there:
 * `[PROCESS] api · pod shop/api-0 · container 3f2a1b2c4d5e · host node-0 · pids 1, 7`, places in
 * name order (service first). Shown
 * only when the places say more than "this machine" (a pod, a container, a namespace or another
 * host), so a local run's trace stays as it was; the JSON report has every process's `where`.
 */
import type { ProcessWhere } from './records';
import { osPid } from './fleetGroups';
import { escapeControls } from './text';

/** Places listed before `+N more`; pids listed per place before `+N`. */
const MAX_PLACES = 50;
const MAX_PIDS = 5;
/** Container ids are 64 hex digits; 12 tell them apart, as `docker ps` shows them. */
const CONTAINER_CHARS = 12;

const natural = new Intl.Collator('en', { numeric: true }).compare;

/** What a process of the text report needs. */
export interface PlacedProcess {
  pid: number;
  where?: ProcessWhere;
}

/** Whether `w` says more than that the process ran on `localHost`. */
function elsewhere(w: ProcessWhere | undefined, localHost: string): boolean {
  return !!w && (w.pod !== undefined || w.container !== undefined || w.namespace !== undefined || (w.host !== undefined && w.host !== localHost));
}

/** One place as text: service, pod (with its namespace), container, host. */
export function placeText(w: ProcessWhere | undefined): string {
  if (!w) return 'where unknown';
  const parts: string[] = [];
  if (w.service !== undefined) parts.push(w.service);
  if (w.pod !== undefined) parts.push(`pod ${w.namespace !== undefined ? `${w.namespace}/` : ''}${w.pod}`);
  else if (w.namespace !== undefined) parts.push(`namespace ${w.namespace}`);
  if (w.container !== undefined) parts.push(`container ${w.container.slice(0, CONTAINER_CHARS)}`);
  if (w.host !== undefined) parts.push(`host ${w.host}`);
  return escapeControls(parts.join(' · '));
}

/** The `[PROCESS]` lines of `processes`, or none when they all ran here. */
export function processLines(processes: readonly PlacedProcess[], localHost: string): string[] {
  if (!processes.some((p) => elsewhere(p.where, localHost))) return [];
  const places = new Map<string, { text: string; pids: number[] }>();
  for (const p of processes) {
    const text = placeText(p.where);
    let place = places.get(text);
    if (!place) places.set(text, (place = { text, pids: [] }));
    place.pids.push(osPid(p.pid));
  }
  const out: string[] = [];
  for (const { text, pids } of [...places.values()].sort((a, b) => natural(a.text, b.text)).slice(0, MAX_PLACES)) {
    pids.sort((a, b) => a - b);
    const shown = pids.slice(0, MAX_PIDS).join(', ') + (pids.length > MAX_PIDS ? `, +${pids.length - MAX_PIDS}` : '');
    out.push(`[PROCESS] ${text} · ${pids.length === 1 ? 'pid' : 'pids'} ${shown}`);
  }
  if (places.size > MAX_PLACES) out.push(`[PROCESS] +${places.size - MAX_PLACES} more places (envtrace report --format json lists every process)`);
  return out;
}
