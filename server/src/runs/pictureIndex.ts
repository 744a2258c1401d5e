/**
 * What the flame graph and the timeline of a run are drawn from, built by one streaming
 * pass over the run and kept: opening the second view, changing a filter, zooming or
 * panning reads nothing again. Race analysis for the timeline's race lines follows in a
 * pass of its own, once the timeline is first asked for. Kept per run directory while its files stay the same
 * (names, sizes and modification times), for the last few runs opened.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FlameIndex } from './flameIndex';
import { readOptionsFor } from './load';
import { processFiles, readRun } from './reader';
import type { ReadStats, RunVisitor } from './readerTypes';
import type { StoredRun } from './store';
import { raceVisitor, Timeline } from './timeline';
import { RaceCollector } from '../analysis/races';

/** A run's pictures, ready to cut. */
export interface RunPictures {
  flame: FlameIndex;
  timeline: Timeline;
  stats: ReadStats;
  /**
   * Places the timeline's race pairs: race analysis, a pass of its own, started on the first
   * call. It costs more than everything else together on a run where many goroutines write
   * the keys others read, so the views open without waiting for it.
   */
  races(): Promise<void>;
}

/** Reads `run` once into a flame index and a timeline. */
export async function indexPictures(run: StoredRun): Promise<RunPictures> {
  const timeline = new Timeline();
  const flame = new FlameIndex(timeline.keys);
  const visitor: RunVisitor = {
    process: (p) => timeline.process(p),
    processEnd: (p) => timeline.processEnd(p),
    goroutine: (pid, g, pg, start) => timeline.goroutine(pid, g, pg, start),
    mark: (pid, g, kind, at) => timeline.mark(pid, g, kind, at),
    stack: (id, frames) => flame.stack(id, frames),
    event: (e, p) => {
      // The timeline numbers the key; the flame index reuses that number.
      timeline.event(e, p);
      flame.add(e, timeline.cols.key[timeline.cols.n - 1]);
    },
  };
  const stats = await readRun(run.dir, visitor, readOptionsFor(run));
  timeline.finish();
  let races: Promise<void> | undefined;
  const analyse = async () => {
    const collector = new RaceCollector();
    await readRun(run.dir, raceVisitor(collector), readOptionsFor(run));
    timeline.placeRaces(collector.races());
  };
  return { flame, timeline, stats, races: () => (races ??= analyse()) };
}

/** What identifies the content of a run directory: its process files' names, sizes and times. */
export async function runSignature(dir: string): Promise<string> {
  const files = await processFiles(dir);
  const parts = await Promise.all(
    files.map(async (f) => {
      const s = await stat(join(dir, f)).catch(() => null);
      return s ? `${f}:${s.size}:${s.mtimeMs}` : f;
    }),
  );
  return parts.join('|');
}

/** The pictures of the last `keep` runs opened, built once per run content. */
export class PictureCache {
  private readonly entries = new Map<string, { signature: string; pictures: Promise<RunPictures> }>();

  constructor(
    private readonly keep = 2,
    private readonly onError: (dir: string, e: unknown) => void = () => {},
  ) {}

  /** The pictures of `run`, read now when its files changed or it was never read. */
  async get(run: StoredRun): Promise<RunPictures> {
    const signature = await runSignature(run.dir);
    const held = this.entries.get(run.dir);
    if (held && held.signature === signature) {
      // Most recently used last, so the oldest goes first.
      this.entries.delete(run.dir);
      this.entries.set(run.dir, held);
      return held.pictures;
    }
    const pictures = indexPictures(run);
    pictures.catch((e) => {
      if (this.entries.get(run.dir)?.pictures === pictures) this.entries.delete(run.dir);
      this.onError(run.dir, e);
    });
    this.entries.delete(run.dir);
    this.entries.set(run.dir, { signature, pictures });
    while (this.entries.size > this.keep) this.entries.delete(this.entries.keys().next().value!);
    return pictures;
  }
}
