/**
 * How a value spread over a fleet: for a site reached by processes of a fleet run (processes
 * on more than one pod or host, e.g. imported with `envtrace import`), per value the
 * processes, pods (hosts when no pod is known) and services that saw it. The lens says
 * `PORT · 37 processes on 12 pods · "8080" ×35 · unset ×2`; the hover lists the pods.
 */
import type { ObservedProcess } from './observations';

/** Pods listed per service and value at most (the count stays exact). */
export const MAX_FLEET_PLACES = 50;

/** Where the processes of one value (or a whole site) ran. */
export interface FleetSpread {
  processes: number;
  /** Distinct places: pods, else hosts. */
  places: number;
  /** Per service ('' when unknown), the places that saw it, sorted (at most MAX_FLEET_PLACES each). */
  services: { service: string; places: string[]; placeCount: number }[];
}

/** What a place is called: pods when any process of the fleet names one, else hosts. */
export type PlaceKind = 'pod' | 'host';

/** The place of a process: its pod, else its host (null when neither is known). */
export function placeOf(p: ObservedProcess, kind: PlaceKind): string | null {
  return (kind === 'pod' ? (p.where?.pod ?? p.where?.host) : p.where?.host) ?? null;
}

/** Whether processes span more than one place (a fleet), and what places are called. */
export function fleetKind(processes: readonly ObservedProcess[], indexes: Iterable<number>): PlaceKind | null {
  const pods = new Set<string>();
  const hosts = new Set<string>();
  for (const i of indexes) {
    const w = processes[i]?.where;
    if (w?.pod) pods.add(w.pod);
    if (w?.host) hosts.add(w.host);
    if (pods.size > 1) return 'pod';
  }
  if (pods.size === 1) return hosts.size > 1 ? 'host' : null;
  return hosts.size > 1 ? 'host' : null;
}

const kinds = new WeakMap<readonly ObservedProcess[], { n: number; kind: PlaceKind | null }>();

/** fleetKind over every loaded process (cached until more processes are loaded). */
export function fleetKindOf(processes: readonly ObservedProcess[]): PlaceKind | null {
  const known = kinds.get(processes);
  if (known && known.n === processes.length) return known.kind;
  const kind = fleetKind(processes, processes.keys());
  kinds.set(processes, { n: processes.length, kind });
  return kind;
}

/** The spread of a set of processes (indexes into `processes`). */
export function spreadOf(processes: readonly ObservedProcess[], indexes: ReadonlySet<number>, kind: PlaceKind): FleetSpread {
  const places = new Set<string>();
  const byService = new Map<string, Set<string>>();
  for (const i of indexes) {
    const p = processes[i];
    const place = placeOf(p, kind) ?? `pid ${p.pid}`;
    places.add(place);
    const service = p.where?.service ?? '';
    let set = byService.get(service);
    if (!set) byService.set(service, (set = new Set()));
    set.add(place);
  }
  const services = [...byService]
    .sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1))
    .map(([service, set]) => ({ service, places: [...set].sort(natural).slice(0, MAX_FLEET_PLACES), placeCount: set.size }));
  return { processes: indexes.size, places: places.size, services };
}

/** `api-2` before `api-10`. */
function natural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
