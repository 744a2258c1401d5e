/**
 * Comparing two runs per key: values changed, read only in one run, unset in one run, sites
 * reached only in one. Redacted values compare by their hashes (equal only when both runs
 * were recorded with the same workspace key). The JSON shape is docs/FORMATS.md section 4.
 */
import { isAbsolute } from 'node:path';
import type { Site } from '../scan/types';
import { isStdFrame, lineText, packagePath } from '../runs/frames';
import type { Entry, Observations, ObservedRun } from './observations';
import { mergeContext, observationsForFile } from './merge';
import type { ReportRace } from '../runs/report';

/** Which run a one-sided difference is in. */
export type Side = 'a' | 'b';

/** One run of the comparison. */
export interface DiffRun {
  id: string;
  label: string | null;
  source: string;
  command: string[];
  start: string;
  /** The exit status of the run's command (the first run's, when several are combined); null when unknown. */
  exitCode: number | null;
}

/** A value read, by value or (redacted) by hash. */
export interface DiffValue {
  value?: string;
  redacted: boolean;
  hash?: string;
  length?: number;
  count: number;
}

/** What one run did with a key. */
export interface KeySide {
  reads: number;
  unsetReads: number;
  writes: number;
  /** Values read (found), most frequent first. */
  values: DiffValue[];
  /** Places that accessed the key: `file:line` of sites (or of the calling frame), sorted. */
  sites: string[];
  /** The race analysis's verdict on the key in this run, when it found one. */
  race?: RaceLevel;
}

/** The differences of one key. */
export interface KeyDiff {
  key: string;
  /** null: the run did not access the key. */
  a: KeySide | null;
  b: KeySide | null;
  /** Both runs read the key, and the sets of values read differ. */
  valuesChanged: boolean;
  /** The key was read in one run only. */
  readOnlyIn: Side | null;
  /** Every read in this run found the key unset, while the other run found it set. */
  unsetIn: Side | null;
  sitesOnlyInA: string[];
  sitesOnlyInB: string[];
}

/** The comparison of two runs. */
export interface RunDiff {
  version: 1;
  a: DiffRun;
  b: DiffRun;
  /** Keys with at least one difference, sorted. */
  keys: KeyDiff[];
  /** Keys accessed in both runs the same way. */
  unchanged: number;
}

/** Where sites come from, when known (more precise than calling frames: helper call sites). */
export interface DiffSites {
  root: string;
  sites: readonly Site[];
}

type RaceLevel = ReportRace['level'];
const RACE_RANK: Record<RaceLevel, number> = { possible: 1, likely: 2, definite: 3 };

interface KeyAcc {
  race?: RaceLevel;
  key: string;
  reads: number;
  unsetReads: number;
  writes: number;
  values: Map<string, DiffValue>;
  sites: Set<string>;
}

/** Compares the runs loaded in `a` with those in `b` (each usually one run). */
export function diffRuns(a: Observations, b: Observations, sites?: DiffSites): RunDiff {
  const fold = a.runs.some((r) => r.windows) || b.runs.some((r) => r.windows);
  const ka = keysOf(a, fold, sites);
  const kb = keysOf(b, fold, sites);
  const keys: KeyDiff[] = [];
  let unchanged = 0;
  for (const key of [...new Set([...ka.keys(), ...kb.keys()])].sort()) {
    const d = compare(key, ka.get(key), kb.get(key));
    if (d.valuesChanged || d.readOnlyIn || d.unsetIn || d.sitesOnlyInA.length || d.sitesOnlyInB.length) keys.push(d);
    else unchanged++;
  }
  return { version: 1, a: describe(a), b: describe(b), keys, unchanged };
}

function describe(o: Observations): DiffRun {
  const runs: ObservedRun[] = o.runs;
  const first = runs[0];
  return {
    id: runs.map((r) => r.id).join('+'),
    label: first?.label ?? null,
    source: runs.map((r) => r.source).join(' '),
    command: first?.command ?? [],
    start: first?.start ?? '',
    exitCode: first?.exitCode ?? null,
  };
}

function compare(key: string, a: KeyAcc | undefined, b: KeyAcc | undefined): KeyDiff {
  const sa = a ? side(a) : null;
  const sb = b ? side(b) : null;
  const readA = (a?.reads ?? 0) > 0;
  const readB = (b?.reads ?? 0) > 0;
  const foundA = readA && a!.unsetReads < a!.reads;
  const foundB = readB && b!.unsetReads < b!.reads;
  const valuesA = new Set(a ? a.values.keys() : []);
  const valuesB = new Set(b ? b.values.keys() : []);
  const sameValues = valuesA.size === valuesB.size && [...valuesA].every((v) => valuesB.has(v));
  return {
    key,
    a: sa,
    b: sb,
    valuesChanged: readA && readB && foundA && foundB && !sameValues,
    readOnlyIn: readA && !readB ? 'a' : readB && !readA ? 'b' : null,
    unsetIn: readA && readB && !foundA && foundB ? 'a' : readA && readB && foundA && !foundB ? 'b' : null,
    sitesOnlyInA: sa ? sa.sites.filter((s) => !b?.sites.has(s)) : [],
    sitesOnlyInB: sb ? sb.sites.filter((s) => !a?.sites.has(s)) : [],
  };
}

function side(k: KeyAcc): KeySide {
  return {
    reads: k.reads,
    unsetReads: k.unsetReads,
    writes: k.writes,
    values: [...k.values.values()].sort((x, y) => y.count - x.count),
    sites: [...k.sites].sort(),
    ...(k.race ? { race: k.race } : {}),
  };
}

/** Per key: counts and values from the entries; places from sites (if given) or frames. */
function keysOf(o: Observations, fold: boolean, sites?: DiffSites): Map<string, KeyAcc> {
  const out = new Map<string, KeyAcc>();
  const acc = (key: string) => {
    const k = fold ? key.toUpperCase() : key;
    let v = out.get(k);
    if (!v) out.set(k, (v = { key: k, reads: 0, unsetReads: 0, writes: 0, values: new Map(), sites: new Set() }));
    return v;
  };
  for (const e of o.entries) {
    if (e.key === null) continue;
    const v = acc(e.key);
    if (e.op === 'getenv') {
      v.reads += e.count;
      if (!e.found) v.unsetReads += e.count;
      else addValue(v, e);
    } else if (e.op === 'setenv' || e.op === 'unsetenv') v.writes += e.count;
    if (!sites && e.stack >= 0) {
      const place = callingPlace(o, e);
      if (place) v.sites.add(place);
    }
  }
  for (const r of o.runs) {
    for (const [key, race] of r.races) {
      const v = out.get(fold ? key.toUpperCase() : key);
      if (v && (!v.race || RACE_RANK[race.level] > RACE_RANK[v.race])) v.race = race.level;
    }
  }
  if (sites) {
    const ctx = mergeContext(o, sites.root, { files: sites.sites.map((s) => s.file) });
    for (const so of observationsForFile(ctx, sites.sites)) {
      for (const k of so.keys) acc(k.key).sites.add(`${so.site.file}:${so.site.line}`);
    }
  }
  return out;
}

function addValue(v: KeyAcc, e: Entry): void {
  const id = e.other ? 'o' : e.redacted ? 'h' + e.hash : 'v' + (e.value ?? '');
  const known = v.values.get(id);
  if (known) {
    known.count += e.count;
    return;
  }
  const d: DiffValue = { redacted: e.redacted, count: e.count };
  if (e.redacted) {
    d.hash = e.hash;
    d.length = e.length;
  } else if (e.value !== undefined) d.value = e.value;
  v.values.set(id, d);
}

/** The first frame outside the standard library, as a path comparable across machines. */
function callingPlace(o: Observations, e: Entry): string | null {
  const frame = o.stacks[e.stack].find((f) => !isStdFrame(f));
  if (!frame) return null;
  const [proc] = e.processes;
  const file = slash(frame.file);
  const fold = (x: string) => (e.windows ? x.toLowerCase() : x);
  // The run's directory first (go test runs each test binary in its package directory).
  for (const dir of [o.runs[e.run].cwd, o.processes[proc]?.cwd ?? '']) {
    const cwd = slash(dir).replace(/\/+$/, '');
    if (cwd && fold(file).startsWith(fold(cwd) + '/')) return `${file.slice(cwd.length + 1)}:${lineText(frame.line)}`;
  }
  if (!isAbsolute(file) && !/^[A-Za-z]:\//.test(file)) return `${file}:${lineText(frame.line)}`;
  const pkg = packagePath(frame.function);
  const base = file.slice(file.lastIndexOf('/') + 1);
  return pkg && pkg !== 'main' ? `${pkg}/${base}:${lineText(frame.line)}` : `${file}:${lineText(frame.line)}`;
}

function slash(p: string): string {
  return p.replace(/\\/g, '/');
}
