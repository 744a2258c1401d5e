/**
 * What the shown runs observed at given sites, for the `.env` features (issue 6): each
 * workspace folder's shown runs seen through the merge engine, so reads that config libraries
 * made land on their field and bind sites.
 */
import { mergeContext, observationsForFile, type SiteObservation } from '../analysis/merge';
import type { SiteEntry } from '../features/model';
import type { KeyObservations } from '../features/dotenv';
import type { Workspace } from './workspace';
import { uriToPath } from './files';
import type { RunsManager } from './runs';

/**
 * The runs the runtime shows for each folder (its RunsManager: the `envtrace.runs.show` setting
 * and the user's choice apply), so a run is loaded once per server. The `.env` features kept a
 * copy of their own before, which read a big run twice at start-up, side by side.
 */
export class FolderRuns implements KeyObservations {
  constructor(
    private readonly workspace: Workspace,
    private readonly runs: RunsManager,
  ) {}

  /** Resolves once the loads of shown runs under way are done (the runtime starts them). */
  async settled(): Promise<void> {
    await Promise.all(this.runs.get().map((f) => f.busy));
  }

  /** The observations of sites (in the order given), or null when no folder has a run loaded. */
  observe(entries: readonly SiteEntry[]): (SiteObservation | null)[] | null {
    const out: (SiteObservation | null)[] = entries.map(() => null);
    let any = false;
    const byFolder = new Map<string, number[]>();
    entries.forEach((e, i) => {
      const uri = this.workspace.folderOf(e.uri)?.uri;
      if (uri === undefined) return;
      const list = byFolder.get(uri) ?? [];
      list.push(i);
      byFolder.set(uri, list);
    });
    for (const [uri, list] of byFolder) {
      const root = uriToPath(uri);
      const obs = this.runs.observations(uri);
      if (root === null) continue;
      if (!obs || obs.runs.length === 0) continue;
      any = true;
      const ctx = mergeContext(obs, root, { files: list.map((i) => entries[i].site.file) });
      observationsForFile(ctx, list.map((i) => entries[i].site)).forEach((o, j) => (out[list[j]] = o));
    }
    return any ? out : null;
  }
}
