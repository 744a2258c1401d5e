// The uses analysis started from the flows the scan kept on its own trees (scan workers and the
// calling thread) gives the report the analysis gives alone, with fewer parses (issue 15, 17).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createScanner } from '../../server/src/scan/index';
import { loadTree } from '../../server/src/scan/walk';
import { indexUses } from '../../server/src/cli/scanUses';
import { keptFlows } from '../../server/src/uses/index';
import { selectorIndex } from '../../server/src/uses/selectors';

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
      const flowOf = keptFlows(kept)!;
      const known = reads.filter((s) => flowOf(s) !== undefined);
      assert.ok(reads.length > 0 && known.length > 0, `${known.length} of ${reads.length} read sites start from a kept flow`);
      assert.ok(got.stats.parsedFiles < expected.stats.parsedFiles, `${got.stats.parsedFiles} parses with kept flows, ${expected.stats.parsedFiles} without`);
    });
  }
}

test('the selector index reads bytes as a regex reads their latin1 text (spaces, line breaks, non-ASCII, lower case)', () => {
  // A lone 0xA0 byte (not UTF-8) is a space to the regex over latin1.
  const text = 'a.Name b. \n\tOther d.\u000bTab e.lower f.Na\u00efve g.\u00c9t h.X_1y i.Name.Next .';
  const bytes = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0x2e, 0xa0, 0x4e, 0x62])]);
  const got = [...selectorIndex([{ get: () => bytes }]).keys()].sort();
  const latin1 = bytes.toString('latin1');
  const want = [...new Set([...latin1.matchAll(/\.\s*([A-Z]\w*)/g)].map((m) => m[1]))].sort();
  assert.deepEqual(got, want);
  assert.ok(want.includes('Nb') && want.includes('Na') && want.includes('Next') && want.includes('Tab'), want.join(' '));
});
