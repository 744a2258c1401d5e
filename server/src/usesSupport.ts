/** The uses analysis in the editor (issue 15): a hover annotator over each folder's uses report. */
import { join } from 'node:path';
import type { SiteAnnotator } from './features/model';
import { usesSections } from './features/usesHover';
import { pathToUri } from './workspace/files';
import type { Workspace } from './workspace/workspace';

/** Adds "Used as", role and risk to the hover of a read site. */
export function usesAnnotator(workspace: Workspace): SiteAnnotator {
  return {
    hover(e) {
      const folder = workspace.folderOf(e.uri);
      const report = folder?.scan.uses?.();
      const uses = report?.siteUses(e.site);
      if (!folder || !report || !uses) return [];
      const uriOf = (file: string) => pathToUri(join(folder.root, ...file.split('/')));
      return usesSections(uses, e.site.key !== null ? report.key(e.site.key) : undefined, uriOf);
    },
  };
}
