/**
 * What the shown runs observed at given sites, for the `.env` features (issue 6): each
 * workspace folder's run store (`.envtrace/runs`, newest run) seen through the merge engine,
 * so reads that config libraries made land on their field and bind sites.
 */
import { mergeContext, observationsForFile, type SiteObservation } from '../analysis/merge';
import { ShownRuns } from '../analysis/shownRuns';
import { storeRoot } from '../runs/store';
import type { SiteEntry } from '../features/model';
import type { KeyObservations } from '../features/dotenv';
import type { Workspace } from './workspace';
import { uriToPath } from './files';

/** Runs of each workspace folder, refreshed before the features ask. */
export class FolderRuns implements KeyObservations {
  private readonly runs = new Map<string, ShownRuns>();

  constructor(private readonly workspace: Workspace) {}

  /** Re-reads each folder's store (cheap when nothing changed); true when any shown run changed. */
  async refresh(): Promise<boolean> {
    let changed = false;
    for (const uri of this.workspace.folderUris()) {
      const root = uriToPath(uri);
      if (root === null) continue;
      let r = this.runs.get(root);
      if (!r) this.runs.set(root, (r = new ShownRuns(storeRoot(root))));
      if (await r.refresh().catch(() => false)) changed = true;
    }
    return changed;
  }

  /** The observations of sites (in the order given), or null when no folder has a run loaded. */
  observe(entries: readonly SiteEntry[]): (SiteObservation | null)[] | null {
    const out: (SiteObservation | null)[] = entries.map(() => null);
    let any = false;
    const byFolder = new Map<string, number[]>();
    entries.forEach((e, i) => {
      const root = uriToPath(this.workspace.folderOf(e.uri)?.uri ?? '');
      if (root === null) return;
      const list = byFolder.get(root) ?? [];
      list.push(i);
      byFolder.set(root, list);
    });
    for (const [root, list] of byFolder) {
      const obs = this.runs.get(root)?.observations;
      if (!obs || obs.runs.length === 0) continue;
      any = true;
      const ctx = mergeContext(obs, root, { files: list.map((i) => entries[i].site.file) });
      observationsForFile(ctx, list.map((i) => entries[i].site)).forEach((o, j) => (out[list[j]] = o));
    }
    return any ? out : null;
  }
}
