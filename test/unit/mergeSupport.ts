// Shared by the merge and diff tests: the fixture workspace, its scanned sites, loaded runs.
import { join } from 'node:path';
import { loadObservations } from '../../server/src/analysis/loadObservations';
import { mergeContext, observationsForFile, type SiteObservation } from '../../server/src/analysis/merge';
import type { Observations } from '../../server/src/analysis/observations';
import { scanTree } from '../../server/src/scan/index';
import type { Site } from '../../server/src/scan/types';

/** test/fixtures/merge: app/ (the workspace), lib/, runs/ and reports/ recorded by record.mjs. */
export const mergeFixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'merge');
export const appRoot = join(mergeFixtures, 'app');

let scanned: Promise<Site[]> | undefined;

/** The scanner's sites of the fixture workspace (scanned once). */
export function appSites(): Promise<Site[]> {
  return (scanned ??= scanTree(appRoot).then((r) => r.sites));
}

/** A recorded run directory (or report, with `.json`) of the fixtures. */
export function fixtureRun(name: string): string {
  return name.endsWith('.json') ? join(mergeFixtures, 'reports', name) : join(mergeFixtures, 'runs', name);
}

/** Loads recorded runs by name. */
export function loadFixtures(...names: string[]): Promise<Observations> {
  return loadObservations(names.map(fixtureRun));
}

/** The observations of every site of one file of the workspace, seen from `root`. */
export async function observe(obs: Observations, file: string, root = appRoot, sites?: Site[]): Promise<SiteObservation[]> {
  const all = sites ?? (await appSites());
  const ctx = mergeContext(obs, root, { files: all.map((s) => s.file) });
  return observationsForFile(
    ctx,
    all.filter((s) => s.file === file),
  );
}

/** The one observation of the site at `line` (with `key`, when several share the line). */
export function at(list: SiteObservation[], line: number, key?: string | null): SiteObservation {
  const found = list.filter((o) => o.site.line === line && (key === undefined || o.site.key === key));
  if (found.length !== 1) throw new Error(`expected one site at line ${line}, found ${found.length}`);
  return found[0];
}
