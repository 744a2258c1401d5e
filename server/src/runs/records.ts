/**
 * The lines the recorder writes into a process file (docs/FORMATS.md section 2), and a
 * tolerant parser: a line that is not a well-formed record yields null, never an exception.
 */

/** An environment entry: `v` in clear, or `h` + `n` when redacted. */
export interface EnvEntry {
  k: string;
  v?: string;
  h?: string;
  n?: number;
}

/** `{"t":"P",...}`: the first line of every process file. */
export interface ProcessRecord {
  t: 'P';
  v: number;
  pid: number;
  ppid: number;
  parent: number;
  run: string;
  argv: string[];
  cwd: string;
  go: string;
  os: string;
  arch: string;
  wall: number;
  mono: number;
  depth: number;
  env: EnvEntry[];
  /** Where the process ran (issue 13; absent from files of earlier recorders). */
  where?: ProcessWhere;
}

/**
 * Where a process ran, as its recorder found it at start (docs/FORMATS.md section 2):
 * host name, container id (from /proc/self/cgroup or /proc/self/mountinfo), Kubernetes pod
 * and namespace (downward API variables or the service-account namespace file), and a
 * service name (OTEL_SERVICE_NAME, else the main module's path). Each field is absent when
 * unknown.
 */
export interface ProcessWhere {
  host?: string;
  container?: string;
  pod?: string;
  namespace?: string;
  service?: string;
}

/** One frame: function, file, line. */
export type RawFrame = [string, string, number];

/** `{"t":"S",...}`: a stack, interned per process. */
export interface StackRecord {
  t: 'S';
  id: number;
  /** The public API the program called, as the recorder names it. */
  api?: string;
  f: RawFrame[];
}

/** The operations the recorder sees. */
export type Op = 'getenv' | 'setenv' | 'unsetenv' | 'clearenv' | 'environ' | 'spawn' | 'exec';

/** `{"t":"E",...}`: one env access. */
export interface EventRecord {
  t: 'E';
  seq: number;
  g: number;
  pg: number;
  op: Op;
  k?: string;
  ok?: boolean;
  v?: string;
  h?: string;
  n?: number;
  /** Entropy estimate of a secret key's value, in bits (recorder's e_strength.go). */
  bits?: number;
  err?: string;
  t0: number;
  /** End time; recorders since issue 17 write `d` instead, or neither when it equals t0. */
  t1: number;
  /** Duration t1 - t0 in ns (absent: 0, or `t1` is given). */
  d?: number;
  s?: number;
  api?: string;
  wg?: number;
  wf?: boolean;
  path?: string;
  argv?: string[];
  cpid?: number;
  /**
   * Accesses this line stands for (absent: 1). Never written by the recorder: `envtrace import`
   * writes one line with `w` for an aggregated OpenTelemetry record (docs/FORMATS.md section 8).
   */
  w?: number;
  /**
   * A race level the source of an imported run reported for this access's key in its process
   * (`envtrace.race.level`); never written by the recorder (docs/FORMATS.md section 8).
   */
  race?: RaceLevel;
}

/** How sure a race verdict is (docs/FORMATS.md section 3, "Races"). */
export type RaceLevel = 'definite' | 'likely' | 'possible';

/** The race levels, for validating untrusted input. */
export const RACE_LEVELS: ReadonlySet<string> = new Set<RaceLevel>(['definite', 'likely', 'possible']);

/** `{"t":"T",...}`: a test started by testing.tRunner. */
export interface TestRecord {
  t: 'T';
  g: number;
  pg: number;
  name: string;
  t0: number;
}

/** `{"t":"V",...}`: the environment, written once when the program first reads all of it (os.Environ). */
export interface EnvRecord {
  t: 'V';
  env: EnvEntry[];
}

/**
 * `{"t":"TE"|"TP"|"GX","g":…,"t1"|"t0":…}`: a test ended (its subtests and cleanups done), a
 * test paused in t.Parallel, a goroutine that made events exited. `at` is the record's time.
 */
export interface GoroutineMarkRecord {
  t: GoroutineMark;
  g: number;
  at: number;
}

/** TE: test end; TP: t.Parallel called; GX: goroutine exit. */
export type GoroutineMark = 'TE' | 'TP' | 'GX';

export type RecorderLine = ProcessRecord | StackRecord | EventRecord | TestRecord | EnvRecord | GoroutineMarkRecord;

const OPS = new Set<string>(['getenv', 'setenv', 'unsetenv', 'clearenv', 'environ', 'spawn', 'exec']);

/** The process-record versions this reader understands. */
export const SUPPORTED_VERSION = 1;

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const optStr = (x: unknown) => x === undefined || isStr(x);
const optNum = (x: unknown) => x === undefined || isNum(x);
const strArray = (x: unknown): x is string[] => Array.isArray(x) && x.every(isStr);

/** Parses one line of a process file; null when it is not a complete, well-typed record. */
export function parseLine(line: string): RecorderLine | null {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return null;
  const r = o as Record<string, unknown>;
  switch (r.t) {
    case 'E':
      return validEvent(r) ? (r as unknown as EventRecord) : null;
    case 'S':
      return isNum(r.id) && optStr(r.api) && Array.isArray(r.f) && r.f.every(validFrame) ? (r as unknown as StackRecord) : null;
    case 'P':
      return validProcess(r) ? normalizeProcess(r) : null;
    case 'V':
      return Array.isArray(r.env) ? { t: 'V', env: envEntries(r.env) } : null;
    case 'T':
      return isNum(r.g) && isStr(r.name) && optNum(r.pg) && optNum(r.t0)
        ? ({ t: 'T', g: r.g, pg: (r.pg as number) ?? 0, name: r.name, t0: (r.t0 as number) ?? 0 } as TestRecord)
        : null;
    case 'TE':
    case 'GX':
      return isNum(r.g) && isNum(r.t1) ? { t: r.t, g: r.g, at: r.t1 } : null;
    case 'TP':
      return isNum(r.g) && isNum(r.t0) ? { t: 'TP', g: r.g, at: r.t0 } : null;
    default:
      return null;
  }
}

function validFrame(f: unknown): boolean {
  return Array.isArray(f) && f.length === 3 && isStr(f[0]) && isStr(f[1]) && isNum(f[2]);
}

function validEvent(r: Record<string, unknown>): boolean {
  return (
    isNum(r.seq) &&
    isNum(r.g) &&
    optNum(r.pg) &&
    isStr(r.op) &&
    OPS.has(r.op) &&
    optStr(r.k) &&
    optStr(r.v) &&
    optStr(r.h) &&
    optNum(r.n) &&
    optNum(r.bits) &&
    optStr(r.err) &&
    isNum(r.t0) &&
    optNum(r.t1) &&
    optNum(r.d) &&
    optNum(r.s) &&
    optStr(r.api) &&
    optNum(r.wg) &&
    optNum(r.cpid) &&
    optStr(r.path) &&
    (r.argv === undefined || strArray(r.argv)) &&
    (r.ok === undefined || typeof r.ok === 'boolean') &&
    (r.wf === undefined || typeof r.wf === 'boolean') &&
    (r.w === undefined || isWeight(r.w)) &&
    (r.race === undefined || (typeof r.race === 'string' && RACE_LEVELS.has(r.race)))
  );
}

function validProcess(r: Record<string, unknown>): boolean {
  return isNum(r.v) && isNum(r.pid) && optNum(r.ppid) && optNum(r.parent) && optStr(r.cwd) && (r.argv === undefined || strArray(r.argv));
}

function envEntries(list: unknown[]): EnvEntry[] {
  return list.filter((e): e is EnvEntry => typeof e === 'object' && e !== null && isStr((e as EnvEntry).k));
}

function normalizeProcess(r: Record<string, unknown>): ProcessRecord {
  const env = Array.isArray(r.env) ? envEntries(r.env) : [];
  return {
    t: 'P',
    v: r.v as number,
    pid: r.pid as number,
    ppid: (r.ppid as number) ?? 0,
    parent: (r.parent as number) ?? 0,
    run: isStr(r.run) ? r.run : '',
    argv: (r.argv as string[]) ?? [],
    cwd: (r.cwd as string) ?? '',
    go: isStr(r.go) ? r.go : '',
    os: isStr(r.os) ? r.os : '',
    arch: isStr(r.arch) ? r.arch : '',
    wall: isNum(r.wall) ? r.wall : 0,
    mono: isNum(r.mono) ? r.mono : 0,
    depth: isNum(r.depth) ? r.depth : 0,
    env,
    ...(r.where !== undefined ? whereField(r.where) : {}),
  };
}

/** The most accesses one line may stand for (import weights; far above any real run). */
export const MAX_WEIGHT = 1e12;

/** A valid `w`: a whole number of accesses from 1 to MAX_WEIGHT. */
export function isWeight(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 1 && (x as number) <= MAX_WEIGHT;
}

/** Longest `where` field kept (host names are at most 253 bytes; container ids 64 hex digits). */
const MAX_WHERE = 256;
const WHERE_FIELDS = ['host', 'container', 'pod', 'namespace', 'service'] as const;

/**
 * A process's `where` from untrusted input (a process file, a report, an OTLP resource): each
 * field kept only when it is a non-empty string of at most 256 characters with no control
 * character (a name shown in trees and hovers); undefined when no field is left.
 */
export function whereOf(x: unknown): ProcessWhere | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  const w: ProcessWhere = {};
  for (const f of WHERE_FIELDS) {
    const v = o[f];
    if (typeof v === 'string' && v.length > 0 && v.length <= MAX_WHERE && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v)) w[f] = v;
  }
  return Object.keys(w).length ? w : undefined;
}

function whereField(x: unknown): { where?: ProcessWhere } {
  const w = whereOf(x);
  return w ? { where: w } : {};
}
