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
  return hosts.size > 1 ? 'host' : null;
}

/** What the spread of any set of processes needs, computed once per loaded runs. */
export interface FleetIndex {
  kind: PlaceKind;
  /** Per process index: its place's rank (index into `places`) and its service's index into `services`. */
  place: Int32Array;
  service: Int32Array;
  /** Places in natural order (`api-2` before `api-10`); services by name. */
  places: string[];
  services: string[];
}

const indexes = new WeakMap<readonly ObservedProcess[], { n: number; index: FleetIndex | null }>();

// NOTE: one collator, used once per place: localeCompare with options builds one per call
// (sorting each value's pods that way made a fleet hover 30 times slower than a plain one).
const natural = new Intl.Collator('en', { numeric: true }).compare;

/** The fleet index of every loaded process, or null when they are no fleet (cached until more processes are loaded). */
export function fleetIndexOf(processes: readonly ObservedProcess[]): FleetIndex | null {
  const known = indexes.get(processes);
  if (known && known.n === processes.length) return known.index;
  const kind = fleetKind(processes, processes.keys());
  let index: FleetIndex | null = null;
  if (kind) {
    const placeOfProc = processes.map((p) => placeOf(p, kind) ?? `pid ${p.pid}`);
    const serviceOfProc = processes.map((p) => p.where?.service ?? '');
    const places = [...new Set(placeOfProc)].sort(natural);
    const services = [...new Set(serviceOfProc)].sort();
    const placeRank = new Map(places.map((x, i) => [x, i]));
    const serviceRank = new Map(services.map((x, i) => [x, i]));
    index = {
      kind,
      place: Int32Array.from(placeOfProc, (x) => placeRank.get(x)!),
      service: Int32Array.from(serviceOfProc, (x) => serviceRank.get(x)!),
      places,
      services,
    };
  }
  indexes.set(processes, { n: processes.length, index });
  return index;
}

/** The spread of a set of processes (indexes into the loaded processes). */
export function spreadOf(fleet: FleetIndex, procs: Iterable<number> & { readonly size: number }): FleetSpread {
  // NOTE: marks and arrays, not sets: this runs per value of every site a lens or hover shows.
  const n = fleet.services.length;
  const seenPlace = new Uint8Array(fleet.places.length);
  const seenInService = new Uint8Array(fleet.places.length * n);
  const byService: number[][] = [];
  let places = 0;
  for (const i of procs) {
    const place = fleet.place[i];
    const service = fleet.service[i];
    if (!seenPlace[place]) {
      seenPlace[place] = 1;
      places++;
    }
    if (seenInService[place * n + service]) continue;
    seenInService[place * n + service] = 1;
    (byService[service] ??= []).push(place);
  }
  const services = byService
    .map((list, service) => ({ service, list }))
    .filter((x) => x.list !== undefined)
    .sort((a, b) => b.list.length - a.list.length || a.service - b.service)
    .map(({ service, list }) => ({
      service: fleet.services[service],
      places: list.sort((x, y) => x - y).slice(0, MAX_FLEET_PLACES).map((r) => fleet.places[r]),
      placeCount: list.length,
    }));
  return { processes: procs.size, places, services };
}
