/**
 * `envtrace export --otlp`: a stored run as OTLP logs (docs/FORMATS.md section 7). By default
 * one record per distinct access of a process (key, op, api, site, value) with its count, in
 * one pass; with `eachEvent` one record per event, in a second pass after the race analysis.
 * Go commands traced by `envtrace run` are left out, as the report leaves out their events.
 */
import { RaceCollector } from '../analysis/races';
import { GoCommandCollector, splitGoCommands } from '../runs/goCommand';
import { readOptionsFor } from '../runs/load';
import { readRun, type ProcessInfo, type RunEvent, type RunVisitor } from '../runs/reader';
import type { ReportRace } from '../runs/report';
import type { StoredRun } from '../runs/store';
import { accessKey, eventLog, groupLog, resourceAttributes, type AccessGroup, type RaceLevel } from './logRecords';
import { BATCH, type OtlpSender } from './sender';

/** What one export sent. */
export interface ExportCounts {
  processes: number;
  events: number;
  records: number;
}

/** Race levels by process and key. */
type Races = Map<number, Map<string, RaceLevel>>;

function raceLevels(races: Map<string, ReportRace>): Races {
  const out: Races = new Map();
  for (const [key, r] of races) {
    for (const party of [...r.writers, ...r.readers]) {
      let byKey = out.get(party.pid);
      if (!byKey) out.set(party.pid, (byKey = new Map()));
      byKey.set(key, r.level);
    }
  }
  return out;
}

/** A visitor that feeds the race analysis. */
function raceVisitor(rc: RaceCollector): RunVisitor {
  return {
    goroutine: (pid, g, pg, start) => rc.goroutine(pid, g, pg, start),
    mark: (pid, g, kind, at) => rc.mark(pid, g, kind, at),
    event: (e) => rc.add(e),
  };
}

/** Both visitors, in order. */
function both(a: RunVisitor, b: RunVisitor): RunVisitor {
  return {
    process: (p) => (a.process?.(p), b.process?.(p)),
    goroutine: (pid, g, pg, s) => (a.goroutine?.(pid, g, pg, s), b.goroutine?.(pid, g, pg, s)),
    mark: (pid, g, k, at) => (a.mark?.(pid, g, k, at), b.mark?.(pid, g, k, at)),
    event: (e, p) => {
      a.event?.(e, p);
      return b.event?.(e, p);
    },
  };
}

/** Sends `run` through `sender`; resolves once the collector acknowledged every record. */
export async function exportRun(run: StoredRun, sender: OtlpSender, eachEvent: boolean): Promise<ExportCounts> {
  const id = run.info.id;
  const opts = readOptionsFor(run);
  const counts: ExportCounts = { processes: 0, events: 0, records: 0 };
  const before = sender.sent;
  const declare = (p: ProcessInfo) => {
    counts.processes++;
    sender.resource(`${id}/${p.index}`, resourceAttributes(id, p));
  };
  const rc = new RaceCollector();
  if (eachEvent) {
    await readRun(run.dir, splitGoCommands(raceVisitor(rc), new GoCommandCollector()), opts);
    const races = raceLevels(rc.races());
    const send: RunVisitor = {
      process: declare,
      event: (e, p) => {
        counts.events++;
        sender.emit(`${id}/${p.index}`, eventLog(id, p, e, races.get(p.pid)?.get(e.key ?? '')));
        if (sender.pending >= BATCH) return sender.flush();
      },
    };
    await readRun(run.dir, splitGoCommands(send, new GoCommandCollector()), opts);
  } else {
    const groups = new Map<ProcessInfo, Map<string, AccessGroup>>();
    const collect: RunVisitor = {
      process: (p) => void groups.set(p, new Map()),
      event: (e: RunEvent, p) => {
        counts.events++;
        const byAccess = groups.get(p)!;
        const k = accessKey(e);
        const g = byAccess.get(k);
        if (!g) byAccess.set(k, { first: e, count: e.weight, last: e.time, test: e.test });
        else {
          g.count += e.weight; // an imported aggregate stands for `weight` accesses
          if (e.time > g.last) g.last = e.time;
          if (g.test !== e.test) g.test = undefined;
        }
      },
    };
    await readRun(run.dir, splitGoCommands(both(raceVisitor(rc), collect), new GoCommandCollector()), opts);
    const races = raceLevels(rc.races());
    for (const [p, byAccess] of groups) {
      declare(p);
      for (const g of byAccess.values()) {
        sender.emit(`${id}/${p.index}`, groupLog(id, p, g, races.get(p.pid)?.get(g.first.key ?? '')));
        if (sender.pending >= BATCH) await sender.flush();
      }
    }
  }
  await sender.flush();
  counts.records = sender.sent - before;
  return counts;
}
