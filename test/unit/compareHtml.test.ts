import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPARE_CSS, compareTableHtml } from '../../client/src/compareHtml';
import type { RunDiff } from '../../server/src/analysis/diff';

const run = (id: string) => ({ id, label: id, source: `/runs/${id}`, command: ['go', 'run', '.'], start: '2026-12-01T00:00:00Z', end: '2026-12-01T00:00:01Z', exitCode: 0 });

const diff: RunDiff = {
  version: 1,
  a: run('ci'),
  b: run('local'),
  unchanged: 3,
  keys: [
    {
      key: 'DB_PASSWORD',
      a: { reads: 1, unsetReads: 0, writes: 0, values: [{ redacted: true, hash: '3f9a0c1d2e4b5a69', length: 24, count: 1 }], sites: ['main.go:14'] },
      b: { reads: 1, unsetReads: 0, writes: 0, values: [{ redacted: true, hash: '0000aaaa2e4b5a69', length: 8, count: 1 }], sites: ['main.go:14'] },
      valuesChanged: true,
      readOnlyIn: null,
      unsetIn: null,
      sitesOnlyInA: [],
      sitesOnlyInB: [],
    },
    {
      key: 'REGION',
      a: { reads: 2, unsetReads: 2, writes: 0, values: [], sites: ['cfg.go:40'] },
      b: { reads: 2, unsetReads: 0, writes: 0, values: [{ value: 'eu-<west>', redacted: false, count: 2 }], sites: ['cfg.go:40', 'cfg.go:41'], race: 'likely' },
      valuesChanged: true,
      readOnlyIn: null,
      unsetIn: 'a',
      sitesOnlyInA: [],
      sitesOnlyInB: ['cfg.go:41'],
    },
  ],
};

test('compare table: keys down, runs across, redacted values as hash and length, unset and race badges, changed cells, site links', () => {
  const html = compareTableHtml(diff, (s) => `command:open?${encodeURIComponent(s)}`);
  assert.match(html, /A: ci/);
  assert.match(html, /B: local/);
  assert.match(html, /2 keys differ, 3 unchanged/);
  const rows = html.split('<tr data-key=').slice(1);
  assert.deepEqual(rows.map((r) => r.slice(1, r.indexOf('"', 1))), ['DB_PASSWORD', 'REGION']);
  assert.match(rows[0], /redacted, 24 bytes, h=3f9a0c1d/);
  assert.doesNotMatch(html, /hunter2/);
  assert.equal(rows[0].match(/class="changed"/g)?.length, 2);
  assert.match(rows[1], /<span class="badge unset">unset<\/span>.*<\/td><td/s);
  assert.match(rows[1], /<a href="command:open\?cfg.go%3A40">cfg.go:40<\/a>/);
  // The race badge sits on the side whose run raced, in the warning colour.
  assert.match(rows[1], /<\/td><td class="changed"><span class="badge race likely"[^>]*>likely race<\/span>/);
  assert.doesNotMatch(rows[0], /badge race/);
  assert.match(COMPARE_CSS, /\.badge\.race \{[^}]*editorWarning-foreground/);
  assert.match(rows[1], /<li class="only"><a [^>]*>cfg.go:41<\/a>/);
  // Values are escaped, never markup.
  assert.match(rows[1], /&#34;eu-&#60;west&#62;&#34;/);
});

test('compare table of a fleet: a column per service, each cell A → B or same, names escaped', () => {
  const port = diff.keys[1];
  const services = [
    { service: 'api', a: { processes: 12, places: 12, kind: 'pod' as const, names: [] }, b: { processes: 1, places: 1, kind: 'host' as const, names: [] }, keys: [], unchanged: 2 },
    { service: 'work<er>', a: { processes: 1, places: 1, kind: 'pod' as const, names: [] }, b: { processes: 1, places: 1, kind: 'host' as const, names: [] }, keys: [port], unchanged: 1 },
    { service: 'batch', a: { processes: 2, places: 2, kind: 'pod' as const, names: [] }, b: null, keys: [], unchanged: 0 },
  ];
  const html = compareTableHtml(diff, () => null, services);
  assert.match(html, /<table id="services"><thead><tr><th scope="col">key<\/th><th scope="col" data-service="api">api<div class="sub">A: 12 processes on 12 pods · B: 1 process<\/div><\/th><th scope="col" data-service="work&#60;er&#62;">work&#60;er&#62;/);
  assert.match(html, /<tr data-key="REGION"><th scope="row">REGION<\/th><td class="same">same<\/td><td class="changed">unset → &#34;eu-&#60;west&#62;&#34; ×2<\/td><td class="absent">only in A<\/td><\/tr>/);
  assert.doesNotMatch(compareTableHtml(diff, () => null), /id="services"/, 'no service table without a fleet');
});
