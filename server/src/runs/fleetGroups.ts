/**
 * A fleet run's processes grouped by service, then by pod (host when no pod): the Environment
 * view's levels and the per-service columns of run comparisons. A run whose processes all ran
 * in one place is no fleet (null).
 */
import type { ProcessWhere } from './records';

const natural = new Intl.Collator('en', { numeric: true }).compare;

/**
 * Above Linux's highest pid_max (2^22): in a fleet run a pid taken by another process (pid 1
 * runs in every container) moves up by a multiple of this, so pids stay unique in the run.
 */
export const PID_SPACE = 1 << 22;

/** The pid the operating system gave a process of a fleet run. */
export function osPid(pid: number): number {
  return pid % PID_SPACE;
}

/** The processes of one pod (or host) of a service. */
export interface PlaceGroup<P> {
  place: string;
  host?: string;
  processes: P[];
}

/** One service and its pods. */
export interface ServiceGroup<P> {
  /** '' when the processes did not say. */
  service: string;
  places: PlaceGroup<P>[];
  processes: number;
}

/** A fleet's services, and what its places are: pods, or hosts when the processes name no pod. */
export interface FleetGroups<P> {
  kind: 'pod' | 'host';
  services: ServiceGroup<P>[];
}

/** Processes by service and pod, services and pods in name order; null when they do not span several pods or hosts. */
export function fleetGroups<P extends { pid: number; where?: ProcessWhere }>(processes: readonly P[]): FleetGroups<P> | null {
  const pods = new Set(processes.map((p) => p.where?.pod).filter(Boolean));
  const hosts = new Set(processes.map((p) => p.where?.host).filter(Boolean));
  const byPod = pods.size > 1 || (pods.size === 1 && hosts.size <= 1);
  if (pods.size <= 1 && hosts.size <= 1) return null;
  const services = new Map<string, Map<string, PlaceGroup<P>>>();
  for (const p of processes) {
    const service = p.where?.service ?? '';
    const place = (byPod ? p.where?.pod : undefined) ?? p.where?.host ?? `pid ${p.pid}`;
    let places = services.get(service);
    if (!places) services.set(service, (places = new Map()));
    let g = places.get(place);
    if (!g) places.set(place, (g = { place, ...(p.where?.host && p.where.host !== place ? { host: p.where.host } : {}), processes: [] }));
    g.processes.push(p);
  }
  const list = [...services]
    .sort((a, b) => (a[0] === '' ? 1 : b[0] === '' ? -1 : natural(a[0], b[0])))
    .map(([service, places]) => {
      const sorted = [...places.values()].sort((a, b) => natural(a.place, b.place));
      return { service, places: sorted, processes: sorted.reduce((n, g) => n + g.processes.length, 0) };
    });
  return { kind: byPod ? 'pod' : 'host', services: list };
}

/** A service's name as shown: its name, or `(no service)`. */
export function serviceName(service: string): string {
  return service || '(no service)';
}
