import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fastEvent, StringTable } from '../../server/src/runs/fastEvent';
import { readRun, type RunEvent } from '../../server/src/runs/reader';
import { parseLine } from '../../server/src/runs/records';

/** What a record says, with absent and undefined fields alike. */
function plain(r: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r as object).filter(([, v]) => v !== undefined));
}

function fast(line: string): unknown {
  const b = Buffer.from(line + '\n');
  const out = { end: -1 };
  const r = fastEvent(b, 0, b.length, new StringTable(), out);
  if (r) assert.equal(out.end, b.length - 1, `end of ${line}`);
  return r;
}

const SAME = [
  '{"t":"E","seq":1,"g":1,"pg":0,"op":"getenv","k":"PORT","ok":true,"v":"8080","t0":1000,"t1":1200,"s":2,"wg":0,"wf":false}',
  '{"t":"E","seq":7,"g":12,"pg":3,"op":"getenv","api":"os.LookupEnv","k":"DB_PASSWORD","ok":true,"h":"3f9a0c1d2e4b5a69","n":24,"t0":-5,"t1":9007199254740993123,"s":1,"wg":2,"wf":true}',
  '{"t":"E","seq":2,"g":1,"pg":0,"op":"setenv","k":"ünï ☃ 𝄞","ok":true,"v":"é","t0":1,"t1":2}',
  '{"t":"E","seq":3,"g":1,"pg":0,"op":"unsetenv","k":"X","ok":false,"err":"invalid argument","t0":1}',
  '{"t":"E","seq":4,"g":1,"op":"environ","ok":true,"t0":1,"t1":2,"s":3}',
  // Recorders since issue 17: defaults left out, the end as a duration.
  '{"t":"E","seq":5,"g":3,"pg":1,"op":"getenv","k":"PORT","v":"8080","t0":1000,"s":2}',
  '{"t":"E","seq":6,"g":3,"op":"setenv","k":"PORT","v":"9","t0":1000,"d":75,"s":2,"wg":1,"wf":true}',
];

test('fastEvent reads the recorder’s plain event lines exactly as JSON.parse and its checks do', () => {
  for (const line of SAME) {
    const r = fast(line);
    assert.ok(r, line);
    assert.deepEqual(plain(r), plain(parseLine(line)), line);
  }
});

test('fastEvent leaves every other shape to parseLine (which decides what is corrupt)', () => {
  const others = [
    '{"t":"E","seq":1,"g":1,"op":"getenv","k":"A\\"B","t0":1}', // escape
    '{"t":"E","seq":1,"g":1,"op":"getenv","k":"A","t0":1.5}', // fraction
    '{"t":"E","seq":1,"g":1,"op":"getenv","k":"A","t0":1e3}', // exponent
    '{"t":"E", "seq":1,"g":1,"op":"getenv","t0":1}', // whitespace
    '{"t":"E","seq":1,"g":1,"op":"spawn","path":"/bin/sh","argv":["sh"],"cpid":9,"t0":1}', // argv
    '{"t":"E","seq":1,"g":1,"op":"getenv","extra":1,"t0":1}', // unknown field
    '{"t":"E","seq":1,"g":1,"op":"frobnicate","t0":1}', // unknown op: corrupt
    '{"t":"E","seq":"1","g":1,"op":"getenv","t0":1}', // wrong type: corrupt
    '{"t":"E","seq":1,"g":1,"op":"getenv"}', // no t0: corrupt
    '{"t":"E","seq":01,"g":1,"op":"getenv","t0":1}', // leading zero: not JSON
    '{"t":"E","seq":1,"g":1,"op":"getenv","k":"PO', // truncated
    '{"t":"E","seq":1,"g":1,"op":"getenv","t0":1}x', // trailing garbage
  ];
  for (const line of others) assert.equal(fast(line), undefined, line);
});

test('a run read through the fast path keeps corrupt lines counted and values intact', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-fast-'));
  try {
    const lines = [
      '{"t":"P","v":1,"pid":7,"ppid":1,"parent":0,"run":"r","argv":["x"],"cwd":"/","go":"go1.26","os":"linux","arch":"amd64","wall":1,"mono":0,"depth":16,"env":[]}',
      '{"t":"S","id":1,"api":"os.Getenv","f":[["main.main","/m.go",3]]}',
      ...Array.from({ length: 5000 }, (_, i) => `{"t":"E","seq":${i + 1},"g":1,"pg":0,"op":"getenv","k":"K${i % 7}","ok":true,"v":"v${i % 3}","t0":${i},"t1":${i},"s":1,"wg":0,"wf":false}`),
      '{"t":"E","seq":5001,"g":1,"op":"getenv","k":"BROKEN',
      '',
      '{"t":"E","seq":5002,"g":1,"pg":0,"op":"getenv","k":"Q\\u00e9","ok":true,"v":"x y","t0":1,"t1":1}',
      `{"t":"E","seq":5003,"g":1,"pg":0,"op":"getenv","k":"BIG","ok":true,"v":"${'b'.repeat(3 << 20)}","t0":1,"t1":1}`,
    ];
    writeFileSync(join(dir, '7-1.jsonl'), lines.join('\n'));
    const events: RunEvent[] = [];
    const stats = await readRun(dir, { event: (e) => void events.push(e) });
    assert.equal(stats.badLines, 1);
    assert.equal(events.length, 5002);
    assert.deepEqual(events.slice(0, 8).map((e) => `${e.key}=${e.value}`), ['K0=v0', 'K1=v1', 'K2=v2', 'K3=v0', 'K4=v1', 'K5=v2', 'K6=v0', 'K0=v1']);
    assert.equal(events[4999].seq, 5000);
    assert.equal(events[5000].key, 'Qé');
    assert.equal(events[5000].value, 'x y');
    assert.equal(events[5001].value?.length, 3 << 20); // longer than a read chunk
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('events of recorders since issue 17 read with their defaults: found when a value is present, t1 = t0 + d', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-fast-'));
  try {
    const lines = [
      '{"t":"P","v":1,"pid":7,"ppid":1,"parent":0,"run":"r","argv":["x"],"cwd":"/","go":"go1.26","os":"linux","arch":"amd64","wall":1,"mono":0,"depth":16}',
      '{"t":"S","id":1,"api":"os.Getenv","f":[["main.main","/m.go",3]]}',
      '{"t":"E","seq":1,"g":3,"pg":1,"op":"getenv","k":"PORT","v":"8080","t0":1000,"s":1}',
      '{"t":"E","seq":2,"g":3,"op":"getenv","k":"DB_PASSWORD","h":"3f9a0c1d2e4b5a69","n":24,"t0":1100,"d":40,"s":1,"wg":2,"wf":true}',
      '{"t":"E","seq":3,"g":3,"op":"getenv","k":"NOPE","ok":false,"t0":1200,"s":1}',
      '{"t":"E","seq":4,"g":3,"op":"unsetenv","k":"PORT","ok":true,"t0":1300,"d":500,"s":1,"wg":1}',
    ];
    writeFileSync(join(dir, '7-1.jsonl'), lines.join('\n') + '\n');
    const events: RunEvent[] = [];
    await readRun(dir, { event: (e) => void events.push(e) });
    const got = events.map((e) => [e.key, e.found, e.t0, e.t1, e.parentGoroutine, e.writeGen, e.writeInFlight]);
    assert.deepEqual(got, [
      ['PORT', true, 1000, 1000, 1, 0, false],
      ['DB_PASSWORD', true, 1100, 1140, 0, 2, true],
      ['NOPE', false, 1200, 1200, 0, 0, false],
      ['PORT', true, 1300, 1800, 0, 1, false],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
