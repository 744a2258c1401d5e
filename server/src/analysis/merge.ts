/**
 * The merge of static sites and runtime observations (DESIGN.md "Merge"; issue 4).
 * Pure functions over loaded data; no IO besides go.mod lookups when a context is built.
 *
 *   // 1. Load the shown runs (run directories and/or JSON reports), streaming. Per folder
 *   //    (shownRuns.ts): reloads only when the chosen runs or their files change, skips a run
 *   //    until its run.json has `end`; call refresh() when the file watcher sees .envtrace/runs change.
 *   const runs = new ShownRuns(storeRoot(folder), parseRunsShown(settings.runs.show)); // latest | all | N
 *   if (await runs.refresh()) obs = runs.observations;   // runs.list() / choose(ids) / importReport(file)
 *   //    or one-shot (loadObservations.ts): await loadObservations([runDir, '/downloads/ci-report.json']);
 *   // 2. See them from a workspace folder (cached per obs × root; give it the files with sites):
 *   const ctx = mergeContext(obs, folderPath, { files: allSites.map((s) => s.file) });
 *   // 3. Per request (≈0.1–1 ms per file): one SiteObservation per site, same order
 *   const perSite = observationsForFile(ctx, sitesOfThisFile);
 *   lensText(perSite[i], obs.runs.length); inlayText(perSite[i]); findings(perSite[i], folderPath); // runtimeText.ts
 *   libraryCallsForFile(ctx, 'cmd/api/main.go');  // lines that read env through a library
 *   runProblems(obs);                              // unreadable lines, lost events, one-line messages
 *   // 4. envtrace/diff: diffRuns(await loadObservations([a]), await loadObservations([b]),
 *   //                            { root: folderPath, sites: allSites })           (diff.ts)
 *
 * A new Observations gets new contexts (the cache is keyed by it). Sites' `file` is relative
 * to the root.
 *
 * Rules: an event belongs to a site whose line range contains a workspace frame of its
 * stack, if the site's kind fits the op (read↔getenv, write↔setenv, unset↔unsetenv,
 * clear↔clearenv, environ↔environ) and its key fits (equal; `*` patterns; dynamic sites
 * take any key; events of Windows processes compare keys case-insensitively). The whole
 * stack is walked: the innermost workspace frame matches any site, outer frames only sites
 * of helpers (api not os./syscall./testing.), so `getenv("PORT", "8080")` gets PORT's
 * values and so does the helper's inner `os.LookupEnv(key)`. A read made inside a library
 * (a library frame below the first workspace frame) also belongs to the read sites of its
 * key whose api names that library (`env tag` ← github.com/caarlos0/env, `viper.BindEnv` ←
 * spf13/viper); when the library took the whole environment through `os.Environ` (as
 * caarlos0/env does), such a site gets the key's value from the process's starting
 * environment (unless the process wrote the key). A deferred call (`defer os.Unsetenv(k)`)
 * runs at its function's exit, so its frame shows a `return` line or the closing brace:
 * the site also holds those lines (Site.deferred, from the scanner).
 */
import type { Site } from '../scan/types';
import type { Frame } from '../runs/frames';
import type { Op } from '../runs/records';
import type { RaceParty } from '../runs/report';
import { type Entry, type Observations, goroutineCount } from './observations';
import { libraryReads } from './libraryReads';
import { patternMatches } from './patterns';
import { type ContextOptions, MergeContext } from './workspaceFrames';
import { raceDetail } from './races';
import { fleetIndexOf, spreadOf, type FleetSpread, type PlaceKind } from './fleet';

export { MergeContext } from './workspaceFrames';

/** Callers (distinct stacks) and processes listed per site at most. */
export const MAX_CALLERS = 10;
export const MAX_PROCESSES = 20;

/** One observed value at a site. */
export interface ObservedValue {
  /** The key it was read or written under (differs between values only at dynamic/pattern sites). */
  key: string | null;
  op: Op;
  /** Absent when redacted, unset, or lumped. */
  value?: string;
  redacted: boolean;
  hash?: string;
  length?: number;
  /** True for reads that found the key unset. */
  unset: boolean;
  /** Stands for values beyond the per-stack limit. */
  other?: boolean;
  /** A write the OS refused (`ok:false`): nothing was set. */
  failed?: boolean;
  count: number;
  processes: number;
  goroutines: number;
  tests: string[];
  /** In a fleet run: the pods (or hosts) and services whose processes saw it. */
  fleet?: FleetSpread;
}

/** One frame of a caller stack, with a local path for workspace frames. */
export interface CallerFrame {
  function: string;
  /** Local absolute path for workspace frames; as recorded otherwise. */
  file: string;
  line: number;
  kind: 'workspace' | 'library' | 'std';
  /** Root-relative file, for workspace frames that map into the root. */
  relFile?: string;
}

/** A distinct stack that reached a site. */
export interface Caller {
  count: number;
  frames: CallerFrame[];
}

/** A process that reached a site. */
export interface ProcessRef {
  run: string;
  pid: number;
  argv: string[];
}

/** One side of a race, placed in the workspace when possible. */
export interface RaceSide extends RaceParty {
  relFile: string | null;
}

/** A race the site takes part in. */
export interface SiteRace {
  key: string;
  run: string;
  level: 'definite' | 'likely' | 'possible';
  detail: string;
  /** How this site takes part: it reads (or writes) the key racily. */
  role: 'reader' | 'writer';
  /** The other side(s): the writers for a reader, the readers for a writer. */
  others: RaceSide[];
}

/** What the shown runs observed at one site. */
export interface SiteObservation {
  site: Site;
  reached: boolean;
  /** Events attributed to the site. */
  count: number;
  /** Reads that found the key unset. */
  unset: number;
  values: ObservedValue[];
  /** Keys observed here, most frequent first (what a dynamic-key site was called with). */
  keys: { key: string; count: number }[];
  processes: ProcessRef[];
  processCount: number;
  goroutines: number;
  tests: string[];
  callers: Caller[];
  /** Distinct stacks in all (callers lists the most frequent). */
  callerCount: number;
  races: SiteRace[];
  /** Ids of the runs with events here. */
  runs: string[];
  /** Environ sites: the most variables a process that reached the site started with (0 when unknown). */
  environVars: number;
  /** Shown runs with processes on several pods or hosts: how the site's processes spread. */
  fleet?: FleetSpread & { kind: PlaceKind };
}

/** Reads through a library at one workspace line (e.g. `env.Parse(&cfg)`). */
export interface LibraryCall {
  line: number;
  keys: { key: string; count: number }[];
}

const contexts = new WeakMap<Observations, Map<string, MergeContext>>();

/** The merge context of `obs` seen from `root` (cached per obs and root; new files are added). */
export function mergeContext(obs: Observations, root: string, opts: ContextOptions = {}): MergeContext {
  let byRoot = contexts.get(obs);
  if (!byRoot) contexts.set(obs, (byRoot = new Map()));
  let ctx = byRoot.get(root);
  if (!ctx) byRoot.set(root, (ctx = new MergeContext(obs, root, opts)));
  else if (opts.files) ctx.addFiles(opts.files);
  return ctx;
}

/** The observations of each site (same order); sites are those of one file or of several. */
export function observationsForFile(ctx: MergeContext, sites: readonly Site[]): SiteObservation[] {
  ctx.addFiles(new Set(sites.map((s) => s.file)));
  return sites.map((s) => observeSite(ctx, s, entriesOf(ctx, s)));
}

/** The workspace lines of a file where a library read env, with the keys it read. */
export function libraryCallsForFile(ctx: MergeContext, file: string): LibraryCall[] {
  const byLine = new Map<number, Map<string, number>>();
  for (const ref of ctx.byFile.get(file) ?? []) {
    if (ref.depth !== 0 || !ctx.views[ref.stack].library) continue;
    let keys = byLine.get(ref.line);
    if (!keys) byLine.set(ref.line, (keys = new Map()));
    for (const e of ctx.obs.byStack.get(ref.stack) ?? []) if (e.key !== null) keys.set(e.key, (keys.get(e.key) ?? 0) + e.count);
  }
  return [...byLine].sort((a, b) => a[0] - b[0]).map(([line, keys]) => ({ line, keys: sortCounts(keys) }));
}

/** Totals of what could not be read in the shown runs, and the one-line messages. */
export function runProblems(obs: Observations): { badLines: number; lostEvents: number; unreadableFiles: number; messages: string[] } {
  const out = { badLines: 0, lostEvents: 0, unreadableFiles: 0, messages: [] as string[] };
  for (const r of obs.runs) {
    out.badLines += r.problems.badLines;
    out.lostEvents += r.problems.lostEvents;
    out.unreadableFiles += r.problems.unreadableFiles;
    if (r.problems.message) out.messages.push(`${r.id}: ${r.problems.message}`);
  }
  return out;
}

const KIND_OP: Record<string, Op> = { read: 'getenv', write: 'setenv', unset: 'unsetenv', clear: 'clearenv', environ: 'environ' };

/** The op a site kind observes; null for kinds added later that no recorded op stands for (e.g. `child`). */
export function siteOp(site: Site): Op | null {
  return KIND_OP[site.kind] ?? null;
}

/** True for sites that call an env API of the standard library directly. */
export function isDirectSite(site: Site): boolean {
  return /^(os|syscall|testing)\./.test(site.api);
}

/** Whether an observed key fits a site's key or pattern. */
export function keyFits(site: Site, key: string | null, caseInsensitive: boolean): boolean {
  if (site.key === null && site.pattern === null) return true;
  if (key === null) return site.kind === 'clear' || site.kind === 'environ';
  const k = caseInsensitive ? key.toUpperCase() : key;
  if (site.key !== null) return (caseInsensitive ? site.key.toUpperCase() : site.key) === k;
  return patternMatches(site.pattern!, key, caseInsensitive);
}

/** Whether a frame at `line` of the site's file is the site: in its range, or at an exit of its function when the call is deferred. */
function holdsLine(site: Site, line: number): boolean {
  return (line >= site.line && line <= site.endLine) || (site.deferred?.includes(line) ?? false);
}

/** The entries that belong to a site. */
function entriesOf(ctx: MergeContext, site: Site): Set<Entry> {
  const out = new Set<Entry>();
  const op = siteOp(site);
  if (op === null) return out;
  const direct = isDirectSite(site);
  for (const ref of ctx.byFile.get(site.file) ?? []) {
    if (!holdsLine(site, ref.line)) continue;
    if (ref.depth > 0 && direct) continue;
    for (const e of ctx.obs.byStack.get(ref.stack) ?? []) {
      if (e.op === op && keyFits(site, e.key, e.windows)) out.add(e);
    }
  }
  if (op === 'getenv' && site.key !== null && !direct) {
    for (const e of libraryReads(ctx, site.key, site.api)) if (keyFits(site, e.key, e.windows)) out.add(e);
  }
  return out;
}

function observeSite(ctx: MergeContext, site: Site, entries: Set<Entry>): SiteObservation {
  const { obs } = ctx;
  const values = new Map<string, { v: ObservedValue; entries: Entry[] }>();
  const keys = new Map<string, number>();
  const stacks = new Map<number, number>();
  const procs = new Set<number>();
  const tests = new Set<string>();
  const runs = new Set<number>();
  let count = 0;
  let unset = 0;
  for (const e of entries) {
    count += e.count;
    const isUnset = e.op === 'getenv' && !e.found;
    const failed = e.op === 'setenv' && !e.found;
    if (isUnset) unset += e.count;
    if (e.key !== null) keys.set(e.key, (keys.get(e.key) ?? 0) + e.count);
    stacks.set(e.stack, (stacks.get(e.stack) ?? 0) + e.count);
    for (const p of e.processes) procs.add(p);
    for (const t of e.tests) tests.add(t);
    runs.add(e.run);
    const id = `${e.key ?? ''}\u0000${e.op}\u0000${e.other ? 'o' : isUnset ? 'u' : (failed ? 'f' : '') + (e.redacted ? 'h' + e.hash : 'v' + (e.value ?? ''))}`;
    let slot = values.get(id);
    if (!slot) {
      const v: ObservedValue = { key: e.key, op: e.op, redacted: e.redacted, unset: isUnset, count: 0, processes: 0, goroutines: 0, tests: [] };
      if (failed) v.failed = true;
      if (e.other) v.other = true;
      else if (e.redacted) {
        v.hash = e.hash;
        v.length = e.length;
      } else if (e.value !== undefined && !isUnset) {
        v.value = e.value;
        v.length = e.length;
      }
      values.set(id, (slot = { v, entries: [] }));
    }
    slot.v.count += e.count;
    slot.entries.push(e);
  }
  const fleet = procs.size ? fleetIndexOf(obs.processes) : null;
  const valueList = [...values.values()].map(({ v, entries: es }) => {
    // Most values come from one entry: its sets serve as they are (a fleet's hold hundreds of processes).
    const p = es.length === 1 ? es[0].processes : new Set<number>();
    const t = es.length === 1 ? es[0].tests : new Set<string>();
    if (es.length > 1) {
      for (const e of es) {
        for (const x of e.processes) (p as Set<number>).add(x);
        for (const x of e.tests) (t as Set<string>).add(x);
      }
    }
    return { ...v, processes: p.size, goroutines: goroutineCount(es), tests: [...t].sort(), ...(fleet ? { fleet: spreadOf(fleet, p) } : {}) };
  });
  valueList.sort((a, b) => b.count - a.count);
  const callers = [...stacks]
    .filter(([s]) => s >= 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_CALLERS)
    .map(([s, n]) => ({ count: n, frames: callerFrames(ctx, s) }));
  return {
    site,
    reached: count > 0,
    count,
    unset,
    values: valueList,
    keys: sortCounts(keys),
    processes: [...procs].slice(0, MAX_PROCESSES).map((i) => {
      const p = obs.processes[i];
      return { run: obs.runs[p.run].id, pid: p.pid, argv: p.argv };
    }),
    processCount: procs.size,
    goroutines: goroutineCount(entries),
    tests: [...tests].sort(),
    callers,
    callerCount: [...stacks.keys()].filter((s) => s >= 0).length,
    races: siteRaces(ctx, site, entries, [...stacks.keys()]),
    runs: [...runs].sort((a, b) => a - b).map((r) => obs.runs[r].id),
    environVars: site.kind === 'environ' ? Math.max(0, ...[...procs].map((i) => obs.processes[i].env.length)) : 0,
    ...(fleet ? { fleet: { kind: fleet.kind, ...spreadOf(fleet, procs) } } : {}),
  };
}

function callerFrames(ctx: MergeContext, stack: number): CallerFrame[] {
  const v = ctx.views[stack];
  return ctx.obs.stacks[stack].map((f: Frame, i) => {
    const rel = v.rel[i];
    const out: CallerFrame = { function: f.function, file: rel !== null ? ctx.absolute(rel) : f.file, line: f.line, kind: v.kinds[i] };
    if (rel !== null) out.relFile = rel;
    return out;
  });
}

/** The races of the keys seen at a site in which the site takes part (by place). */
function siteRaces(ctx: MergeContext, site: Site, entries: Set<Entry>, stacks: number[]): SiteRace[] {
  const seen = new Set<string>();
  const out: SiteRace[] = [];
  const places = new Set<string>();
  for (const s of stacks) {
    if (s < 0) continue;
    ctx.views[s].rel.forEach((r, i) => r !== null && places.add(`${r}:${ctx.obs.stacks[s][i].line}`));
  }
  const at = (p: RaceParty): RaceSide => ({ ...p, relFile: p.file === null ? null : ctx.relFile(p.file) });
  const here = (p: RaceSide) =>
    p.relFile !== null && p.line !== null && ((p.relFile === site.file && holdsLine(site, p.line)) || places.has(`${p.relFile}:${p.line}`));
  for (const e of entries) {
    if (e.key === null || seen.has(`${e.run}\u0000${e.key}`)) continue;
    seen.add(`${e.run}\u0000${e.key}`);
    const run = ctx.obs.runs[e.run];
    const race = run.races.get(e.key);
    if (!race) continue;
    const readers = race.readers.map(at);
    const writers = race.writers.map(at);
    const role = readers.some(here) ? 'reader' : writers.some(here) ? 'writer' : null;
    if (!role) continue;
    out.push({ key: e.key, run: run.id, level: race.level, detail: raceDetail(e.key, race, (f) => ctx.relFile(f) ?? f), role, others: role === 'reader' ? writers : readers });
  }
  return out;
}

function sortCounts(m: Map<string, number>): { key: string; count: number }[] {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([key, count]) => ({ key, count }));
}
