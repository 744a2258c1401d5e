// OTLP JSON as the Collector's file exporter writes it (one ExportLogsServiceRequest per line),
// with the attributes of docs/FORMATS.md section 7: the fixtures of the import tests. The round
// trip through a real Collector is the otlp branch's test; these are built to the contract.

/** An OTLP AnyValue. */
type Any = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number } | { arrayValue: { values: Any[] } };

/** A plain value as an OTLP AnyValue (integers as strings, as proto3 JSON writes them). */
export function anyOf(v: string | number | boolean | string[]): Any {
  if (Array.isArray(v)) return { arrayValue: { values: v.map((x) => ({ stringValue: x })) } };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

/** Attributes from an object (undefined values left out). */
export function attrs(o: Record<string, string | number | boolean | string[] | undefined>): { key: string; value: Any }[] {
  return Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => ({ key, value: anyOf(v!) }));
}

/** One traced process of the fleet. */
export interface FleetProcess {
  service: string;
  pod?: string;
  host: string;
  namespace?: string;
  pid: number;
  run?: string;
  start?: number;
}

/** One access record (aggregated: `count`). */
export interface FleetAccess {
  key?: string;
  op?: string;
  value?: string;
  found?: boolean;
  count?: number;
  redacted?: boolean;
  hash?: string;
  length?: number;
  file?: string;
  line?: number;
  fn?: string;
  id?: string;
  time?: number;
  extra?: Record<string, string | number | boolean | string[] | undefined>;
}

/** The resource attributes of a process, as `envtrace export` sets them. */
export function resourceOf(p: FleetProcess) {
  return {
    attributes: attrs({
      'service.name': p.service,
      'host.name': p.host,
      'k8s.pod.name': p.pod,
      'k8s.namespace.name': p.namespace,
      'process.pid': p.pid,
      'process.parent_pid': 1,
      'process.command_args': [`/app/${p.service}`, '--port=8080'],
      'process.runtime.version': 'go1.26.8',
      'envtrace.run.id': p.run ?? 'run-1',
      'envtrace.process.start': p.start ?? 1_764_000_000_000,
      'envtrace.process.parent': 0,
    }),
  };
}

/** A log record of one access. */
export function recordOf(a: FleetAccess, p: FleetProcess) {
  const op = a.op ?? 'getenv';
  const t = a.time ?? (p.start ?? 1_764_000_000_000) + 5;
  return {
    timeUnixNano: String(Math.round(t * 1e6)),
    observedTimeUnixNano: String(Math.round(t * 1e6) + 1000),
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: `${op} ${a.key ?? ''} = ${a.redacted ? '<redacted>' : JSON.stringify(a.value ?? '')}` },
    attributes: attrs({
      'code.file.path': a.file ?? '/src/app/main.go',
      'code.line.number': a.line ?? 12,
      'code.function.name': a.fn ?? 'main.main',
      'envtrace.key': a.key,
      'envtrace.op': op,
      'envtrace.api': op === 'getenv' ? 'os.Getenv' : op === 'setenv' ? 'os.Setenv' : undefined,
      'envtrace.found': a.found ?? (a.value !== undefined || a.redacted === true),
      'envtrace.value': a.redacted ? undefined : a.value,
      'envtrace.value.redacted': a.redacted ?? false,
      'envtrace.value.hash': a.hash,
      'envtrace.value.length': a.length,
      'envtrace.count': a.count ?? 1,
      'envtrace.time.first': t,
      'envtrace.time.last': t + 1,
      'envtrace.record.id': a.id ?? `${p.run ?? 'run-1'}/${p.pid}-${p.start ?? 0}.jsonl/${a.key}/${op}/${a.file ?? '/src/app/main.go'}:${a.line ?? 12}/${a.hash ?? a.value ?? ''}`,
      ...a.extra,
    }),
  };
}

/** One line of the file exporter's output: the given processes with their accesses. */
export function otlpLine(batches: { process: FleetProcess; accesses: FleetAccess[] }[]): string {
  return JSON.stringify({
    resourceLogs: batches.map((b) => ({
      resource: resourceOf(b.process),
      scopeLogs: [{ scope: { name: 'envtrace', version: '0.1.0' }, logRecords: b.accesses.map((a) => recordOf(a, b.process)) }],
    })),
  });
}

/**
 * A fleet: `pods` pods of the service `api` (pid 1 in each, as in containers) reading PORT
 * ("8080" on all but the last two pods, where it is unset) and one pod of `worker` reading
 * PORT "9090"; every access aggregated with a count of 3.
 */
export function fleetLines(pods = 12, at: { file: string; line: number; fn?: string } = { file: '/src/app/main.go', line: 12 }): string[] {
  const lines: string[] = [];
  const site = { file: at.file, line: at.line, fn: at.fn ?? 'main.main' };
  for (let i = 0; i < pods; i++) {
    const p: FleetProcess = { service: 'api', pod: `api-${i}`, host: `node-${i % 3}`, namespace: 'shop', pid: 1, start: 1_764_000_000_000 + i };
    const port: FleetAccess = i >= pods - 2 ? { key: 'PORT', found: false, count: 3, ...site } : { key: 'PORT', value: '8080', count: 3, ...site };
    lines.push(otlpLine([{ process: p, accesses: [port] }]));
  }
  lines.push(otlpLine([{ process: { service: 'worker', pod: 'worker-0', host: 'node-0', namespace: 'shop', pid: 1 }, accesses: [{ key: 'PORT', value: '9090', count: 3, ...site }] }]));
  return lines;
}
