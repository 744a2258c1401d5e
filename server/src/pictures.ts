/**
 * The requests behind the flame graph and timeline views: thin handlers over the engine
 * (runs/flame.ts, runs/timeline.ts). The last timelines read are kept, so zooming and
 * panning cut windows without reading the run again.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { collectFlame } from './runs/flame';
import { collectTimeline, type Timeline } from './runs/timeline';
import { timelineWindow } from './runs/timelineView';
import { readRunInfo, type StoredRun } from './runs/store';
import { FlameRequest, TimelineRequest, type FlameParams, type TimelineParams } from './protocol';

const KEEP_TIMELINES = 2;

/** Binds `envtrace/flame` and `envtrace/timeline`. */
export function bindPictures(connection: Connection, log: (m: string) => void): void {
  const timelines = new Map<string, Promise<Timeline>>();
  const run = async (dir: unknown): Promise<StoredRun> => {
    if (typeof dir !== 'string' || dir === '') throw new ResponseError(ErrorCodes.InvalidParams, 'a run directory is needed');
    try {
      return { dir, info: await readRunInfo(dir) };
    } catch (e) {
      throw new ResponseError(ErrorCodes.InvalidParams, `cannot read run ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  connection.onRequest(FlameRequest.type, async (p: FlameParams) => {
    const { flame } = await collectFlame(await run(p?.run), p.filter ?? {});
    const sorted = <T>(s: Set<T>) => [...s].sort();
    return { tree: flame.tree('all'), total: flame.total, keys: sorted(flame.seen.keys), pids: [...flame.seen.pids].sort((a, b) => a - b), tests: sorted(flame.seen.tests) };
  });
  connection.onRequest(TimelineRequest.type, async (p: TimelineParams) => {
    const r = await run(p?.run);
    let tl = timelines.get(r.dir);
    if (!tl) {
      tl = collectTimeline(r).then((x) => x.timeline);
      tl.catch((e) => {
        timelines.delete(r.dir);
        log(`envtrace: timeline of ${r.dir} failed: ${String(e)}`);
      });
      timelines.set(r.dir, tl);
      while (timelines.size > KEEP_TIMELINES) timelines.delete(timelines.keys().next().value!);
    }
    return timelineWindow(await tl, p.from, p.to, p.columns, typeof p.key === 'string' ? p.key : undefined);
  });
}
