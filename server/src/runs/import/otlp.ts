/**
 * OTLP JSON logs as the OpenTelemetry Collector's file exporter writes them (one
 * ExportLogsServiceRequest per line) and as `envtrace export` sends them (docs/FORMATS.md
 * section 7), read into a FleetWriter. Everything in the file is untrusted: a value of the
 * wrong type, a key with a control character or an oversized string skips its record with a
 * note; a line that is not JSON is counted; nothing throws.
 */
import { validLine, type Frame } from '../frames';
import { isWeight, RACE_LEVELS, whereOf, type Op, type ProcessWhere, type RaceLevel } from '../records';
import type { FleetWriter, ImportEvent, ImportProcess } from './fleetWriter';
import type { ImportNotes } from './notes';

const OPS = new Set<string>(['getenv', 'setenv', 'unsetenv', 'clearenv', 'environ', 'spawn', 'exec']);
/** Longest key, api, file or function name kept; longest value (a process file line holds at most 16 MB). */
const MAX_NAME = 4096;
const MAX_VALUE = 1 << 20;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** An OTLP AnyValue as a plain value: string, number, boolean, array; undefined for anything else. */
function anyValue(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return typeof o.stringValue === 'string' ? o.stringValue : undefined;
  if ('boolValue' in o) return typeof o.boolValue === 'boolean' ? o.boolValue : undefined;
  // NOTE: proto3 JSON writes 64-bit integers as strings.
  if ('intValue' in o) {
    const x = o.intValue;
    const n = typeof x === 'string' && /^-?\d{1,16}$/.test(x) ? Number(x) : typeof x === 'number' ? x : NaN;
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if ('doubleValue' in o) {
    const x = typeof o.doubleValue === 'string' ? Number(o.doubleValue) : o.doubleValue;
    return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
  }
  if ('arrayValue' in o) {
    const list = (o.arrayValue as { values?: unknown } | null)?.values;
    return Array.isArray(list) ? list.map(anyValue) : [];
  }
  return undefined;
}

/** Attributes as a map; later duplicates win, attributes with odd shapes are left out. */
function attributes(list: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (!Array.isArray(list)) return m;
  for (const a of list) {
    if (typeof a !== 'object' || a === null) continue;
    const { key, value } = a as { key?: unknown; value?: unknown };
    if (typeof key === 'string' && key.length <= MAX_NAME) m.set(key, anyValue(value));
  }
  return m;
}

/** Why a record was skipped (a note), thrown inside the record's parsing only. */
class Skip extends Error {}

const optStr = (m: Map<string, unknown>, k: string, max = MAX_NAME): string | undefined => {
  const v = m.get(k);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Skip(`${k} is not a string`);
  if (v.length > max) throw new Skip(`${k} is longer than ${max} characters`);
  return v;
};
const name = (m: Map<string, unknown>, k: string): string | undefined => {
  const v = optStr(m, k);
  if (v !== undefined && CONTROL.test(v)) throw new Skip(`${k} holds a control character`);
  return v;
};
const optInt = (m: Map<string, unknown>, k: string): number | undefined => {
  const v = m.get(k);
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v)) throw new Skip(`${k} is not an integer`);
  return v as number;
};
const optNum = (m: Map<string, unknown>, k: string): number | undefined => {
  const v = m.get(k);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Skip(`${k} is not a number`);
  return v;
};
const optBool = (m: Map<string, unknown>, k: string): boolean | undefined => {
  const v = m.get(k);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new Skip(`${k} is not a boolean`);
  return v;
};

/** The process a resource describes. */
function processOf(attrs: Map<string, unknown>, source: string): ImportProcess {
  const service = name(attrs, 'service.name');
  const where: ProcessWhere | undefined = whereOf({
    host: name(attrs, 'host.name'),
    container: name(attrs, 'container.id'),
    pod: name(attrs, 'k8s.pod.name'),
    namespace: name(attrs, 'k8s.namespace.name'),
    // The SDKs' placeholder when no service was named says nothing.
    service: service?.startsWith('unknown_service') ? undefined : service,
  });
  const args = attrs.get('process.command_args');
  const argv = Array.isArray(args) ? args.filter((a): a is string => typeof a === 'string' && a.length <= MAX_VALUE) : [];
  const pid = optInt(attrs, 'process.pid') ?? 0;
  const run = name(attrs, 'envtrace.run.id') ?? '';
  return {
    group: `otlp\0${run}\0${where?.host ?? ''}\0${where?.pod ?? ''}\0${where?.container ?? ''}\0${run ? '' : source}`,
    pid: pid >= 0 ? pid : 0,
    ppid: Math.max(0, optInt(attrs, 'process.parent_pid') ?? 0),
    parent: Math.max(0, optInt(attrs, 'envtrace.process.parent') ?? 0),
    argv,
    cwd: '',
    go: name(attrs, 'process.runtime.version') ?? '',
    os: '',
    arch: '',
    start: Math.max(0, optNum(attrs, 'envtrace.process.start') ?? 0),
    run,
    ...(where ? { where } : {}),
  };
}

/** One log record as an event; throws Skip with the reason when it cannot be one. */
function eventOf(attrs: Map<string, unknown>, timeUnixNano: unknown): ImportEvent {
  const op = attrs.get('envtrace.op');
  if (typeof op !== 'string' || !OPS.has(op)) throw new Skip(op === undefined ? 'no envtrace.op' : 'an unknown envtrace.op');
  const key = name(attrs, 'envtrace.key');
  if (key === undefined && (op === 'getenv' || op === 'setenv' || op === 'unsetenv')) throw new Skip(`${op} without envtrace.key`);
  if (key !== undefined && (key === '' || key.includes('='))) throw new Skip('envtrace.key is not a variable name');
  const weight = attrs.get('envtrace.count') ?? 1;
  if (!isWeight(weight)) throw new Skip('envtrace.count is not a count from 1 to 10^12');
  const redacted = optBool(attrs, 'envtrace.value.redacted') ?? false;
  const hash = name(attrs, 'envtrace.value.hash');
  if (hash !== undefined && !/^[0-9a-f]{1,64}$/.test(hash)) throw new Skip('envtrace.value.hash is not hex');
  const length = optInt(attrs, 'envtrace.value.length');
  const value = redacted ? undefined : optStr(attrs, 'envtrace.value', MAX_VALUE);
  const file = name(attrs, 'code.file.path');
  const line = optInt(attrs, 'code.line.number');
  const fn = name(attrs, 'code.function.name');
  const frames: Frame[] | null = file !== undefined ? [{ function: fn ?? '', file, line: validLine(line) ? line : 0 }] : null;
  const nano = typeof timeUnixNano === 'string' && /^\d{1,20}$/.test(timeUnixNano) ? Number(timeUnixNano) / 1e6 : undefined;
  const g = optInt(attrs, 'envtrace.goroutine');
  const race = name(attrs, 'envtrace.race.level');
  if (race !== undefined && !RACE_LEVELS.has(race)) throw new Skip('envtrace.race.level is not a race level');
  return {
    goroutine: g !== undefined && g > 0 ? g : 1,
    parentGoroutine: 0,
    op: op as Op,
    ...(key !== undefined ? { key } : {}),
    found: optBool(attrs, 'envtrace.found') ?? op !== 'getenv',
    ...(value !== undefined ? { value } : {}),
    redacted: redacted || (value === undefined && hash !== undefined),
    ...(hash !== undefined ? { hash } : {}),
    ...(length !== undefined && length >= 0 ? { length } : {}),
    time: optNum(attrs, 'envtrace.time.first') ?? nano ?? NaN,
    api: name(attrs, 'envtrace.api') ?? `syscall.${op[0].toUpperCase()}${op.slice(1)}`,
    frames,
    ...(name(attrs, 'envtrace.test') !== undefined ? { test: name(attrs, 'envtrace.test') } : {}),
    weight,
    ...(race !== undefined ? { race: race as RaceLevel } : {}),
  };
}

/**
 * Reads one line of an OTLP JSON file into `writer`: its resource logs, scope logs and log
 * records. Duplicate records (an `envtrace.record.id` seen before, in any source) are counted, not added.
 */
export function importOtlpLine(line: string, writer: FleetWriter, seen: Set<string>, notes: ImportNotes): void {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    notes.add('a line that is not JSON');
    return;
  }
  const resources = (o as { resourceLogs?: unknown } | null)?.resourceLogs;
  if (!Array.isArray(resources)) {
    notes.add('a line without resourceLogs');
    return;
  }
  for (const rl of resources) {
    if (typeof rl !== 'object' || rl === null) continue;
    const { resource, scopeLogs } = rl as { resource?: { attributes?: unknown }; scopeLogs?: unknown };
    let proc: ImportProcess;
    try {
      proc = processOf(attributes(resource?.attributes), notes.source);
    } catch (e) {
      if (!(e instanceof Skip)) throw e;
      notes.add(`a resource skipped (${e.message})`);
      continue;
    }
    if (!Array.isArray(scopeLogs)) continue;
    let handle: ReturnType<FleetWriter['process']> | undefined;
    for (const sl of scopeLogs) {
      const records = (sl as { logRecords?: unknown } | null)?.logRecords;
      if (!Array.isArray(records)) continue;
      for (const lr of records) {
        if (typeof lr !== 'object' || lr === null) continue;
        const rec = lr as { attributes?: unknown; timeUnixNano?: unknown };
        const attrs = attributes(rec.attributes);
        // A resend comes from the same process: ids are compared within one (pods may reuse pids and run ids).
        const rid = attrs.get('envtrace.record.id');
        const id = typeof rid === 'string' && rid.length <= MAX_NAME ? `${proc.group}\0${proc.pid}\0${proc.start}\0${rid}` : undefined;
        if (id !== undefined) {
          if (seen.has(id)) {
            notes.duplicates++;
            continue;
          }
          seen.add(id);
        }
        let e: ImportEvent;
        try {
          e = eventOf(attrs, rec.timeUnixNano);
        } catch (err) {
          if (!(err instanceof Skip)) throw err;
          notes.add(`a record skipped (${err.message})`);
          continue;
        }
        handle ??= writer.process(proc);
        writer.event(handle, e);
      }
    }
  }
}
