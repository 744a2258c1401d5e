// OTLP out without a network: where logs go (the SDKs' variables), what a record holds
// (docs/FORMATS.md section 7), and that the OpenTelemetry SDK stays out of the other
// subcommands' bundle. test/go/otlp.test.ts sends to a real Collector.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveTarget } from '../../server/src/otlp/endpoint';
import { eventLog, groupLog, resourceAttributes, valueId } from '../../server/src/otlp/logRecords';
import type { ProcessInfo, RunEvent } from '../../server/src/runs/readerTypes';
import { parseLine } from '../../server/src/runs/records';

const dist = join(__dirname, '..', '..', '..', 'dist');

test('the OTLP target: --otlp is a base address, LOGS_ENDPOINT is used as is, protocol from flag or env', () => {
  assert.deepEqual(resolveTarget('http://c:4318', undefined, {}), { url: 'http://c:4318/v1/logs', protocol: 'http/protobuf' });
  assert.equal(resolveTarget('http://c:4318/', 'http/json', {}).url, 'http://c:4318/v1/logs');
  assert.equal(resolveTarget(undefined, undefined, {}).url, 'http://localhost:4318/v1/logs');
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318/otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
  assert.deepEqual(resolveTarget(undefined, undefined, env), { url: 'http://base:4318/otlp/v1/logs', protocol: 'http/json' });
  assert.equal(resolveTarget(undefined, undefined, { ...env, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://logs:9/ingest' }).url, 'http://logs:9/ingest');
  assert.equal(resolveTarget('http://flag:1', undefined, env).url, 'http://flag:1/v1/logs');
  assert.equal(resolveTarget(undefined, undefined, { ...env, OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf' }).protocol, 'http/protobuf');
  assert.throws(() => resolveTarget('c:4318', undefined, {}), /http:\/\/ or https:\/\//);
  assert.throws(() => resolveTarget('not a url', undefined, {}), /--otlp is not a URL/);
  assert.throws(() => resolveTarget(undefined, 'grpc', {}), /gRPC is not supported/);
});

const proc: ProcessInfo = {
  index: 0, file: '/r/123-456.jsonl', pid: 123, ppid: 1, parent: 0, argv: ['/app/bin/api', '--port=1'], cwd: '/app', goVersion: 'go1.26.8',
  goos: 'linux', goarch: 'amd64', start: 1000, end: 2000, env: [], where: { host: 'h1', pod: 'api-1', namespace: 'shop', service: 'example.com/api' }, events: 0, maxSeq: 0,
};

function event(over: Partial<RunEvent>): RunEvent {
  return {
    pid: 123, seq: 7, goroutine: 1, parentGoroutine: 0, op: 'getenv', key: 'PORT', found: true, value: '8080', redacted: false, hash: undefined, length: undefined,
    entropyBits: undefined, error: undefined, t0: 0, t1: 0, time: 1500.25, api: 'os.Getenv', stack: '1', user: { function: 'main.main', file: '/app/main.go', line: 12 },
    writeGen: 0, writeInFlight: false, test: undefined, path: undefined, argv: undefined, childPid: undefined, weight: 1, ...over,
  };
}

test('resource attributes: semantic conventions from the process and its where; unknown service named as the SDKs do', () => {
  const r = resourceAttributes('run1', proc);
  assert.equal(r['service.name'], 'example.com/api');
  assert.equal(r['k8s.pod.name'], 'api-1');
  assert.equal(r['k8s.namespace.name'], 'shop');
  assert.equal(r['host.name'], 'h1');
  assert.equal(r['container.id'], undefined);
  assert.deepEqual(r['process.command_args'], proc.argv);
  assert.equal(r['envtrace.process.file'], '123-456.jsonl');
  assert.equal(resourceAttributes('run1', { ...proc, where: undefined })['service.name'], 'unknown_service:api');
});

test('an event record: value in clear, or hash and length only; id run/file/seq; body from the attributes', () => {
  const clear = eventLog('run1', proc, event({}));
  assert.equal(clear.body, 'getenv PORT = "8080"');
  assert.equal(clear.attributes['envtrace.value'], '8080');
  assert.equal(clear.attributes['envtrace.record.id'], 'run1/123-456.jsonl/7');
  assert.equal(clear.attributes['code.line.number'], 12);
  assert.equal(clear.warn, false);
  const secret = eventLog('run1', proc, event({ key: 'API_TOKEN', value: undefined, redacted: true, hash: 'abcd', length: 24 }), 'likely');
  assert.equal(secret.body, 'getenv API_TOKEN = <redacted>');
  assert.equal(secret.attributes['envtrace.value'], undefined);
  assert.equal(secret.attributes['envtrace.value.hash'], 'abcd');
  assert.equal(secret.attributes['envtrace.value.length'], 24);
  assert.equal(secret.attributes['envtrace.race.level'], 'likely');
  assert.equal(secret.warn, true);
  assert.equal(eventLog('run1', proc, event({ found: false, value: undefined })).body, 'getenv PORT (unset)');
});

test('an aggregated record: count, first and last time, id with api, site and value id', () => {
  const e = event({});
  const g = groupLog('run1', proc, { first: e, count: 3, last: 1700, test: undefined });
  assert.equal(g.attributes['envtrace.count'], 3);
  assert.equal(g.attributes['envtrace.time.last'], 1700);
  assert.equal(g.attributes['envtrace.seq'], undefined);
  assert.equal(g.attributes['envtrace.record.id'], `run1/123-456.jsonl/PORT/getenv/os.Getenv//app/main.go:12/${valueId(e)}`);
  assert.match(valueId(e), /^v:[0-9a-f]{16}$/);
  assert.equal(valueId(event({ redacted: true, value: undefined, hash: 'ff' })), 'h:ff');
  assert.equal(valueId(event({ found: false, value: undefined })), 'unset');
});

test('the OpenTelemetry SDK is in dist/otlpCommands.js only, not in the bundle every other subcommand loads', () => {
  assert.match(readFileSync(join(dist, 'otlpCommands.js'), 'utf8'), /OTLPLogExporter/);
  for (const bundle of ['cli-main.js', 'cli-run.js']) assert.doesNotMatch(readFileSync(join(dist, bundle), 'utf8'), /OTLPLogExporter|@opentelemetry/, bundle);
});

test('a process record keeps where it ran (string fields only), which becomes the resource', () => {
  const rec = parseLine(JSON.stringify({ t: 'P', v: 1, pid: 9, where: { host: 'h', pod: 'p-1', namespace: 7, service: 'example.com/x', extra: 'y' } }));
  assert.deepEqual(rec && rec.t === 'P' ? rec.where : null, { host: 'h', pod: 'p-1', service: 'example.com/x' });
  const none = parseLine(JSON.stringify({ t: 'P', v: 1, pid: 9, where: 'h' }));
  assert.equal(none && none.t === 'P' ? none.where : 'x', undefined);
});
