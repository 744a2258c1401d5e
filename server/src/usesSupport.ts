/** The uses analysis in the editor (issue 15): a hover annotator over each folder's uses report. */
import { join } from 'node:path';
import type { SiteAnnotator } from './features/model';
import type { InventoryResult } from './protocol';
import { usesSections } from './features/usesHover';
import { pathToUri } from './workspace/files';
import type { Workspace } from './workspace/workspace';

/** Adds "Used as", role and risk to the hover of a read site. */
export function usesAnnotator(workspace: Workspace): SiteAnnotator {
  return {
    hover(e) {
      // A dynamic key (a helper's own read, `os.LookupEnv(key)`) would list the uses of every
      // caller's key: each caller's site shows its own.
      if (e.site.key === null && e.site.pattern === null) return [];
      const folder = workspace.folderOf(e.uri);
      const report = folder?.scan.uses?.();
      const uses = report?.siteUses(e.site);
      if (!folder || !report || !uses) return [];
      const uriOf = (file: string) => pathToUri(join(folder.root, ...file.split('/')));
      return usesSections(uses, e.site.key !== null ? report.key(e.site.key) : undefined, uriOf);
    },
  };
}

/** The inventory with each key's role and risk (from the folder of its first site). */
export function withKeyRisks(result: InventoryResult, workspace: Workspace): InventoryResult {
  for (const k of result.keys) {
    const uri = k.sites[0]?.uri;
    const risk = !k.isPattern && uri ? workspace.folderOf(uri)?.scan.uses?.()?.key(k.name) : undefined;
    if (risk) k.risk = { role: risk.role, risk: risk.risk, reasons: risk.reasons };
  }
  return result;
}
