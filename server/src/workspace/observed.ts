/**
 * The runtime observations of the sites of a document, as the features read them: the merge
 * of the folder's shown runs with the document's sites, computed on first use and cached
 * until the runs or the document's sites change.
 */
import { relative, sep } from 'node:path';
import { libraryCallsForFile, mergeContext, observationsForFile, runProblems, type LibraryCall, type SiteObservation } from '../analysis/merge';
import type { Observations } from '../analysis/observations';
import type { SiteEntry, SiteIndex } from '../features/model';
import { uriToPath } from './files';

/** What the features know of one document's runtime data. */
export interface ObservedFile {
  /** One observation per entry of the document. */
  readonly bySite: ReadonlyMap<SiteEntry, SiteObservation>;
  /** The folder's root (absolute path). */
  readonly root: string;
  /** Ids and labels of the shown runs. */
  readonly runs: readonly { id: string; label: string | null; command: string[] }[];
  /** One-line messages on what could not be read in the shown runs. */
  readonly problems: readonly string[];
  /** True when the shown runs did not reach the site and `runs` is the newest earlier run that did. */
  readonly earlier?: boolean;
}

/** Where a document's folder and its shown runs are. */
export type FolderLookup = (
  uri: string,
) => { uri: string; root: string; obs: Observations | undefined; earlier?: readonly Observations[]; files: () => Iterable<string> } | undefined;

interface Cached {
  obs: Observations;
  entries: readonly SiteEntry[];
  file: ObservedFile;
}

/** Per-document observations, cached by (runs, sites). */
export class ObservedSites {
  private readonly cache = new Map<string, Cached>();
  /** Observations whose merge context already knows every file of the folder (for path-suffix mapping). */
  private readonly primed = new WeakMap<Observations, Set<string>>();
  /** Observations of sites in earlier runs, per run and site. */
  private readonly earlierSeen = new WeakMap<Observations, WeakMap<SiteEntry, { o: SiteObservation; file: ObservedFile }>>();

  constructor(
    private readonly index: SiteIndex,
    private readonly lookup: FolderLookup,
  ) {}

  /** The document's observations, or null when its folder shows no run (the static features then apply). */
  of(uri: string): ObservedFile | null {
    const folder = this.lookup(uri);
    const obs = folder?.obs;
    if (!folder || !obs || obs.runs.length === 0) return null;
    const entries = this.index.sitesIn(uri);
    const hit = this.cache.get(uri);
    if (hit && hit.obs === obs && hit.entries === entries) return hit.file;
    const ctx = mergeContext(obs, folder.root, { files: this.primeFiles(obs, folder) });
    const list = observationsForFile(ctx, entries.map((e) => e.site));
    const file: ObservedFile = {
      bySite: new Map(entries.map((e, i) => [e, list[i]])),
      root: folder.root,
      runs: obs.runs.map((r) => ({ id: r.id, label: r.label, command: r.command })),
      problems: problems(obs),
    };
    this.cache.set(uri, { obs, entries, file });
    return file;
  }

  /**
   * The observation of one site, or undefined without runs. When the shown runs did not reach
   * it and `earlier` is true, the observation of the newest earlier run that did (its file
   * says `earlier`), if any.
   */
  site(e: SiteEntry, earlier = true): { o: SiteObservation; file: ObservedFile } | undefined {
    const file = this.of(e.uri);
    const o = file?.bySite.get(e);
    if (!file || !o) return undefined;
    if (o.reached || !earlier) return { o, file };
    return this.earlierSite(e) ?? { o, file };
  }

  private earlierSite(e: SiteEntry): { o: SiteObservation; file: ObservedFile } | undefined {
    const folder = this.lookup(e.uri);
    for (const obs of folder?.earlier ?? []) {
      let seen = this.earlierSeen.get(obs);
      if (!seen) this.earlierSeen.set(obs, (seen = new WeakMap()));
      let hit = seen.get(e);
      if (!hit) {
        const ctx = mergeContext(obs, folder!.root, { files: this.primeFiles(obs, folder!) });
        const file: ObservedFile = { bySite: new Map(), root: folder!.root, runs: obs.runs.map((r) => ({ id: r.id, label: r.label, command: r.command })), problems: problems(obs), earlier: true };
        hit = { o: observationsForFile(ctx, [e.site])[0], file };
        seen.set(e, hit);
      }
      if (hit.o.reached) return hit;
    }
    return undefined;
  }

  /** Lines of the document where a library read env (e.g. `env.Parse(&cfg)`), with the keys; empty without runs. */
  libraryCalls(uri: string): LibraryCall[] {
    const folder = this.lookup(uri);
    const path = uriToPath(uri);
    if (!folder?.obs || folder.obs.runs.length === 0 || path === null) return [];
    const ctx = mergeContext(folder.obs, folder.root, { files: this.primeFiles(folder.obs, folder) });
    const rel = relative(folder.root, path).split(sep).join('/');
    return libraryCallsForFile(ctx, rel);
  }

  /** Forgets a closed or deleted document. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** Every indexed file of the folder, the first time `obs` is seen from it (so that paths recorded elsewhere map). */
  private primeFiles(obs: Observations, folder: { root: string; files: () => Iterable<string> }): string[] | undefined {
    let roots = this.primed.get(obs);
    if (!roots) this.primed.set(obs, (roots = new Set()));
    if (roots.has(folder.root)) return undefined;
    roots.add(folder.root);
    return [...folder.files()];
  }
}

/** The problems of the shown runs as one-line messages (counts of skipped lines included). */
function problems(obs: Observations): string[] {
  const p = runProblems(obs);
  const out = [...p.messages];
  if (p.badLines) out.push(`${p.badLines} unreadable line${p.badLines === 1 ? '' : 's'} skipped`);
  if (p.lostEvents) out.push(`${p.lostEvents} event${p.lostEvents === 1 ? '' : 's'} lost (the recorder could not write them)`);
  return out;
}
