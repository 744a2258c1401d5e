/**
 * A run as OpenTelemetry logs (docs/FORMATS.md section 7): the resource attributes of a
 * traced process and one log record per event or per distinct access. Pure data, no SDK:
 * sender.ts hands these to the OpenTelemetry JS logs SDK.
 */
import { createHash } from 'node:crypto';
import type { ProcessInfo, RunEvent } from '../runs/readerTypes';
import type { RaceLevel } from '../runs/records';

/** A race level of a key in one process. */
export type { RaceLevel };

/** An attribute value as OTLP carries it here. */
export type OtlpValue = string | number | boolean | string[];

/** Attributes by name. */
export type OtlpAttributes = Record<string, OtlpValue>;

/** One log record before the SDK sees it. Times are Unix ms (fractional). */
export interface OtlpLog {
  time: number;
  warn: boolean;
  body: string;
  attributes: OtlpAttributes;
}

const fileNames = new WeakMap<object, string>();

/** The process file's name (`<pid>-<start>.jsonl`), the middle part of record ids (kept per process: asked per event). */
export function processFileName(p: Pick<ProcessInfo, 'file'>): string {
  let name = fileNames.get(p);
  if (name === undefined) fileNames.set(p, (name = /([^/\\]+)$/.exec(p.file)?.[1] ?? p.file));
  return name;
}

/** The resource attributes of one traced process (semantic conventions where they exist). */
export function resourceAttributes(runId: string, p: ProcessInfo): OtlpAttributes {
  const w = p.where ?? {};
  const exe = (p.argv[0] ?? '').split(/[\\/]/).pop() || 'go';
  const a: OtlpAttributes = {
    // service.name is required by the OpenTelemetry spec: `unknown_service:<executable>` when unknown, as SDKs say.
    'service.name': w.service ?? `unknown_service:${exe}`,
  };
  if (w.host !== undefined) a['host.name'] = w.host;
  if (w.container !== undefined) a['container.id'] = w.container;
  if (w.pod !== undefined) a['k8s.pod.name'] = w.pod;
  if (w.namespace !== undefined) a['k8s.namespace.name'] = w.namespace;
  a['process.pid'] = p.pid;
  a['process.parent_pid'] = p.ppid;
  a['process.command_args'] = p.argv; // redacted by the recorder, as the report shows it
  if (p.cwd) a['process.working_directory'] = p.cwd;
  a['process.runtime.name'] = 'go';
  if (p.goVersion) a['process.runtime.version'] = p.goVersion;
  if (p.goos) a['os.type'] = p.goos;
  if (p.goarch) a['host.arch'] = p.goarch;
  a['envtrace.run.id'] = runId;
  a['envtrace.process.file'] = processFileName(p);
  a['envtrace.process.start'] = p.start;
  a['envtrace.process.parent'] = p.parent;
  return a;
}

/** What identifies a value in a record id: the keyed hash of a redacted one, a SHA-256 prefix of one in clear. */
export function valueId(e: Pick<RunEvent, 'redacted' | 'hash' | 'value' | 'found'>): string {
  if (e.redacted) return `h:${e.hash ?? ''}`;
  if (e.value !== undefined) return 'v:' + createHash('sha256').update(e.value).digest('hex').slice(0, 16);
  return e.found ? '-' : 'unset';
}

/** The site of an access: `file:line` of its first user frame, or empty. */
function site(e: RunEvent): string {
  return e.user ? `${e.user.file}:${e.user.line}` : '';
}

/** The key that groups events into one aggregated record (per process). */
export function accessKey(e: RunEvent): string {
  return `${e.key ?? ''}\0${e.op}\0${e.api}\0${site(e)}\0${valueId(e)}`;
}

/** The record's body: the access as text, built from the attributes (never a redacted value). */
function body(e: RunEvent): string {
  const head = e.key === undefined ? e.op : `${e.op} ${e.key}`;
  if (e.redacted) return `${head} = <redacted>`;
  if (e.value !== undefined) return `${head} = ${JSON.stringify(e.value)}`;
  if (e.op === 'getenv' && !e.found) return `${head} (unset)`;
  if (e.op === 'spawn' || e.op === 'exec') return e.path !== undefined ? `${head} ${JSON.stringify(e.path)}` : head;
  return head;
}

/** Attributes an event and an aggregate of identical accesses share. */
function accessAttributes(e: RunEvent, race: RaceLevel | undefined): OtlpAttributes {
  const a: OtlpAttributes = {};
  if (e.user) {
    a['code.file.path'] = e.user.file;
    a['code.line.number'] = e.user.line;
    a['code.function.name'] = e.user.function;
  }
  if (e.key !== undefined) a['envtrace.key'] = e.key;
  a['envtrace.op'] = e.op;
  a['envtrace.api'] = e.api;
  a['envtrace.found'] = e.found;
  if (!e.redacted && e.value !== undefined) a['envtrace.value'] = e.value;
  a['envtrace.value.redacted'] = e.redacted;
  if (e.redacted) {
    if (e.hash !== undefined) a['envtrace.value.hash'] = e.hash;
    if (e.length !== undefined) a['envtrace.value.length'] = e.length;
  }
  if (race) a['envtrace.race.level'] = race;
  return a;
}

/** One record for one event (`--each-event`, `ship`): id `<run id>/<process file>/<seq>`. */
export function eventLog(runId: string, p: ProcessInfo, e: RunEvent, race?: RaceLevel): OtlpLog {
  const a = accessAttributes(e, race);
  a['envtrace.count'] = e.weight;
  a['envtrace.time.first'] = e.time;
  a['envtrace.time.last'] = e.time;
  a['envtrace.goroutine'] = e.goroutine;
  a['envtrace.seq'] = e.seq;
  if (e.test !== undefined) a['envtrace.test'] = e.test;
  a['envtrace.record.id'] = `${runId}/${processFileName(p)}/${e.seq}`;
  return { time: e.time, warn: race !== undefined, body: body(e), attributes: a };
}

/** Accesses of one process with the same key, op, api, site and value, counted. */
export interface AccessGroup {
  first: RunEvent;
  count: number;
  last: number;
  /** The test, when every access of the group was made by the same one. */
  test: string | undefined;
}

/** One record for a group of identical accesses: id `<run id>/<process file>/<key>/<op>/<api>/<site>/<value id>`. */
export function groupLog(runId: string, p: ProcessInfo, g: AccessGroup, race?: RaceLevel): OtlpLog {
  const e = g.first;
  const a = accessAttributes(e, race);
  a['envtrace.count'] = g.count;
  a['envtrace.time.first'] = e.time;
  a['envtrace.time.last'] = g.last;
  if (g.test !== undefined) a['envtrace.test'] = g.test;
  a['envtrace.record.id'] = `${runId}/${processFileName(p)}/${e.key ?? ''}/${e.op}/${e.api}/${site(e)}/${valueId(e)}`;
  return { time: e.time, warn: race !== undefined, body: body(e), attributes: a };
}
