/**
 * The requests behind the flame graph and timeline views: thin handlers over the engine.
 * Both views are cut from one pass over the run (runs/pictureIndex.ts), kept for the last
 * runs opened, so the second view, a filter, a zoom or a pan reads nothing again.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { PictureCache } from './runs/pictureIndex';
import { timelineWindow } from './runs/timelineView';
import { readRunInfo, type StoredRun } from './runs/store';
import { FlameRequest, TimelineRequest, type FlameParams, type TimelineParams } from './protocol';

const KEEP_RUNS = 2;

/** Binds `envtrace/flame` and `envtrace/timeline`. */
export function bindPictures(connection: Connection, log: (m: string) => void): void {
  const pictures = new PictureCache(KEEP_RUNS, (dir, e) => log(`envtrace: pictures of ${dir} failed: ${String(e)}`));
  const run = async (dir: unknown): Promise<StoredRun> => {
    if (typeof dir !== 'string' || dir === '') throw new ResponseError(ErrorCodes.InvalidParams, 'a run directory is needed');
    try {
      return { dir, info: await readRunInfo(dir) };
    } catch (e) {
      throw new ResponseError(ErrorCodes.InvalidParams, `cannot read run ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  connection.onRequest(FlameRequest.type, async (p: FlameParams) => (await pictures.get(await run(p?.run))).flame.result(p.filter ?? {}));
  connection.onRequest(TimelineRequest.type, async (p: TimelineParams) => {
    const { timeline, races } = await pictures.get(await run(p?.run));
    const analysed = races();
    analysed.catch((e) => log(`envtrace: race analysis of ${p.run} failed: ${String(e)}`));
    if (p.waitForRaces === true) await analysed;
    return timelineWindow(timeline, p.from, p.to, p.columns, typeof p.key === 'string' ? p.key : undefined);
  });
}
