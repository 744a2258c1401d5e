/**
 * Races an imported run knows from its source rather than from its own trace: the OTLP
 * records of `envtrace export` say `envtrace.race.level` for every access to a key that raced
 * in its process, and `envtrace import` keeps it on the event lines (`race`, docs/FORMATS.md
 * section 8). The analysis cannot find these again (aggregated records carry no goroutines,
 * write generations or overlaps), so they are verdicts of their own: per key, the highest
 * level reported, its writers and readers as parties. `mergeInto` adds them to the analysis'
 * verdicts where the analysis found none or a weaker one.
 */
import type { RaceParty, ReportRace } from '../runs/report';
import type { RunEvent } from '../runs/readerTypes';
import type { RaceLevel } from '../runs/records';

const RANK: Record<RaceLevel, number> = { possible: 1, likely: 2, definite: 3 };
/** Parties kept per key and side (the report lists at most this many). */
const MAX_PARTIES = 10;

interface KeyRaces {
  level: RaceLevel;
  writers: Map<string, RaceParty>;
  readers: Map<string, RaceParty>;
}

/** Collects the reported race levels of an imported run's events. */
export class ImportedRaces {
  private readonly keys = new Map<string, KeyRaces>();

  /** Notes an event that carries a reported race level (others are ignored). */
  add(e: RunEvent): void {
    if (e.race === undefined || e.key === undefined) return;
    let k = this.keys.get(e.key);
    if (!k) this.keys.set(e.key, (k = { level: e.race, writers: new Map(), readers: new Map() }));
    else if (RANK[e.race] > RANK[k.level]) k.level = e.race;
    const side = e.op === 'getenv' ? k.readers : k.writers;
    const id = `${e.pid}/${e.goroutine}/${e.op}/${e.api}/${e.user?.file ?? ''}:${e.user?.line ?? ''}`;
    const known = side.get(id);
    if (known) known.count += e.weight;
    else if (side.size < MAX_PARTIES) {
      side.set(id, { pid: e.pid, goroutine: e.goroutine, op: e.op, api: e.api, file: e.user?.file ?? null, line: e.user?.line ?? null, count: e.weight });
    }
  }

  /**
   * Adds the reported races to `verdicts` (by key) where the analysis found none or a lower
   * level; `sentence` words a race as the analysis' own are (races.ts `raceDetail`).
   */
  mergeInto(verdicts: Map<string, ReportRace>, sentence: (key: string, race: ReportRace) => string): void {
    for (const [key, k] of this.keys) {
      const found = verdicts.get(key);
      if (found && RANK[found.level] >= RANK[k.level]) continue;
      const writers = [...k.writers.values()];
      // Two writers race too: with no reader reported, the second writer is the other party.
      const readers = k.readers.size ? [...k.readers.values()] : writers.slice(1);
      const race: ReportRace = { level: k.level, detail: '', writers, readers };
      const w = writers[0] ?? readers[0];
      race.detail = writers.length && readers.length
        ? `${sentence(key, race)}, as the source of this imported run reported`
        : `${key}: a ${k.level} race in pid ${w.pid}, as the source of this imported run reported (its other party did not arrive)`;
      verdicts.set(key, race);
    }
  }
}
