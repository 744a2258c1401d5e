/**
 * `envtrace diff` per service (issue 13): when either run is a fleet (processes on several
 * pods or hosts), each service of it is compared with the same service of the other run, or
 * with the whole other run when that one names no services (a local run). docs/FORMATS.md
 * section 4, `services`.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { diffRuns, type DiffSites, type KeyDiff } from './diff';
import { ObservationsBuilder, type Observations, type RunObserver } from './observations';
import { replayReport } from './reportReplay';
import type { Frame } from '../runs/frames';
import { readRun } from '../runs/reader';
import type { ProcessInfo, RunEvent, RunVisitor } from '../runs/readerTypes';
import type { GoroutineMark } from '../runs/records';
import { withoutGoCommands } from '../runs/goCommand';
import { readOptionsFor } from '../runs/load';
import { readRunInfo } from '../runs/store';
import { fleetGroups, type FleetGroups, type ServiceGroup } from '../runs/fleetGroups';

/** One run's processes of a service. */
export interface ServiceSide {
  processes: number;
  /** Distinct pods (hosts when no pod is known: `kind`). */
  places: number;
  kind: 'pod' | 'host';
  /** The places by name, in name order: pods as `<namespace>/<pod>` when the namespace is known, or hosts. */
  names: string[];
}

/** The comparison of one service. */
export interface ServiceDiff {
  service: string;
  /** null: the run has no process of the service. A run that names no services stands whole for each. */
  a: ServiceSide | null;
  b: ServiceSide | null;
  /** Keys with a difference between the two sides (empty when a side is null). */
  keys: KeyDiff[];
  unchanged: number;
}

/** A run split by service: one Observations per service ('' for processes that name none). */
export interface ServiceRuns {
  fleet: FleetGroups<ProcessInfo> | null;
  byService: Map<string, Observations>;
}

/** Routes processes and their events to one observer per service. */
class ServiceSplit implements RunVisitor {
  readonly builders = new Map<string, { builder: ObservationsBuilder; observer: RunObserver }>();
  readonly processes: ProcessInfo[] = [];
  private readonly stacks: [string, Frame[]][] = [];
  private readonly byPid = new Map<number, RunObserver>();

  constructor(private readonly id: string, private readonly source: string) {}

  private observerFor(service: string): RunObserver {
    let b = this.builders.get(service);
    if (!b) {
      const builder = new ObservationsBuilder();
      const observer = builder.beginRun({ id: service ? `${this.id}[${service}]` : this.id, label: null, source: this.source, kind: 'dir', command: [], cwd: '', start: '', exitCode: null, goVersion: null });
      for (const [id, frames] of this.stacks) observer.stack(id, frames);
      this.builders.set(service, (b = { builder, observer }));
    }
    return b.observer;
  }

  process(p: ProcessInfo): void {
    this.processes.push(p);
    const o = this.observerFor(p.where?.service ?? '');
    this.byPid.set(p.pid, o);
    o.process(p);
  }

  stack(id: string, frames: Frame[]): void {
    this.stacks.push([id, frames]);
    for (const b of this.builders.values()) b.observer.stack(id, frames);
  }

  goroutine(pid: number, g: number, pg: number, start?: number): void {
    this.byPid.get(pid)?.goroutine(pid, g, pg, start);
  }

  mark(pid: number, g: number, kind: GoroutineMark, at: number): void {
    this.byPid.get(pid)?.mark(pid, g, kind, at);
  }

  event(e: RunEvent, p: ProcessInfo): void {
    this.byPid.get(p.pid)?.event(e, p);
  }

  processEnd(p: ProcessInfo): void {
    this.byPid.get(p.pid)?.processEnd(p);
  }
}

/** Reads a run directory or JSON report once, split by service. */
export async function loadServices(source: string): Promise<ServiceRuns> {
  const split = new ServiceSplit(basename(source), source);
  if ((await stat(source)).isDirectory()) {
    const info = await readRunInfo(source).catch(() => null);
    const opts = info ? readOptionsFor({ dir: source, info }) : {};
    await readRun(source, withoutGoCommands(split), opts);
  } else await replayReport(source, split);
  const byService = new Map<string, Observations>();
  for (const [service, b] of split.builders) {
    b.observer.finish({ badLines: 0, lostEvents: 0, unreadableFiles: 0 });
    byService.set(service, b.builder.obs);
  }
  return { fleet: fleetGroups(split.processes), byService };
}

/** Per-service differences, or undefined when neither run is a fleet. */
export function diffServices(a: ServiceRuns, b: ServiceRuns, sites?: DiffSites): ServiceDiff[] | undefined {
  if (!a.fleet && !b.fleet) return undefined;
  const named = (r: ServiceRuns) => [...r.byService.keys()].some((s) => s !== '');
  const services = [...new Set([...(named(a) ? a.byService.keys() : []), ...(named(b) ? b.byService.keys() : [])])].sort();
  const sideOf = (r: ServiceRuns, service: string): { obs: Observations; side: ServiceSide } | null => {
    // A run that names no services (a local run) stands whole for every service.
    if (!named(r)) return whole(r);
    const obs = r.byService.get(service);
    if (!obs) return null;
    const group = r.fleet?.services.find((s) => s.service === service);
    const names = group ? placeNames([group]) : hostNames(obs);
    return { obs, side: { processes: obs.processes.length, places: group?.places.length ?? 1, kind: r.fleet?.kind ?? 'host', names } };
  };
  return services.map((service) => {
    const sa = sideOf(a, service);
    const sb = sideOf(b, service);
    const d = sa && sb ? diffRuns(sa.obs, sb.obs, sites) : null;
    return { service, a: sa?.side ?? null, b: sb?.side ?? null, keys: d?.keys ?? [], unchanged: d?.unchanged ?? 0 };
  });
}

function whole(r: ServiceRuns): { obs: Observations; side: ServiceSide } | null {
  const all = [...r.byService.values()];
  if (!all.length) return null;
  // Without named services there is one group ('').
  const obs = all[0];
  const places = r.fleet ? r.fleet.services.reduce((n, s) => n + s.places.length, 0) : 1;
  const names = r.fleet ? placeNames(r.fleet.services) : hostNames(obs);
  return { obs, side: { processes: obs.processes.length, places, kind: r.fleet?.kind ?? 'host', names } };
}

/** The places of `groups` by name (`<namespace>/<pod>` when the namespace is known), distinct, in name order. */
function placeNames(groups: readonly ServiceGroup<ProcessInfo>[]): string[] {
  const names = groups.flatMap((g) => g.places.map((p) => {
    const ns = p.processes[0]?.where?.pod === p.place ? p.processes[0].where.namespace : undefined;
    return ns !== undefined ? `${ns}/${p.place}` : p.place;
  }));
  return [...new Set(names)].sort(natural);
}

/** The hosts a run's processes name (a run that is no fleet: one at most). */
function hostNames(obs: Observations): string[] {
  return [...new Set(obs.processes.map((p) => p.where?.host).filter((h): h is string => h !== undefined))].sort(natural);
}

const natural = new Intl.Collator('en', { numeric: true }).compare;
