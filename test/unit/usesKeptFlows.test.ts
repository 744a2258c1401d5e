// The uses analysis started from the flows the scan kept on its own trees (scan workers and the
// calling thread) gives the report the analysis gives alone, with fewer parses (issue 15, 17).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createScanner } from '../../server/src/scan/index';
import { loadTree } from '../../server/src/scan/walk';
import { indexUses, keptFlows } from '../../server/src/cli/scanUses';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures');

for (const dir of ['uses', 'libs', 'scan', 'check', 'workspaces']) {
  for (const workers of [0, 1]) {
    test(`fixtures/${dir}, ${workers} worker(s): the same uses, roles and risks with the scan's kept flows`, async () => {
      const scanner = await createScanner();
      const alone = scanner.createIndex(join(fixtures, dir));
      await loadTree(alone, { workers });
      const expected = await indexUses(alone);

      const kept = scanner.createIndex(join(fixtures, dir));
      kept.keepLocalFlows = true;
      await loadTree(kept, { workers });
      const sites = kept.allSites();
      const got = await indexUses(kept, sites);

      assert.deepEqual(sites, alone.allSites(), 'keeping flows changes no site');
      assert.deepEqual(got.siteUses, expected.siteUses);
      assert.deepEqual(got.keys, expected.keys);
      const reads = sites.filter((s) => s.kind === 'read');
      const known = reads.filter((s) => keptFlows(kept)(s) !== undefined);
      assert.ok(reads.length > 0 && known.length > 0, `${known.length} of ${reads.length} read sites start from a kept flow`);
      assert.ok(got.stats.parsedFiles < expected.stats.parsedFiles, `${got.stats.parsedFiles} parses with kept flows, ${expected.stats.parsedFiles} without`);
    });
  }
}
