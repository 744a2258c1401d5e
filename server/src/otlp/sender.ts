/**
 * Sends log records to an OTLP/HTTP endpoint with the OpenTelemetry JS logs SDK: one
 * LoggerProvider (one resource) per traced process, scope `envtrace`, and the official OTLP
 * exporter (protobuf or JSON). Records are batched here, not in a BatchLogRecordProcessor,
 * because callers must know when a batch was acknowledged (ship persists its progress then)
 * and the SDK's batch processor drops records when its queue is full.
 */
import { SeverityNumber, type Logger } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordExporter, type LogRecordProcessor, type ReadableLogRecord, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import type { OtlpAttributes, OtlpLog } from './logRecords';
import type { OtlpTarget } from './endpoint';
import { VERSION } from '../cli/version';

/** Records per export request (a few hundred bytes each in protobuf). */
export const BATCH = 2000;

/** An export the collector did not acknowledge (unreachable, refused, timed out). */
export class OtlpSendError extends Error {}

/** Holds emitted records until the sender exports them. */
class Collecting implements LogRecordProcessor {
  records: ReadableLogRecord[] = [];
  onEmit(r: ReadWriteLogRecord): void {
    this.records.push(r);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Batches of log records for one endpoint. */
export class OtlpSender {
  private readonly exporter: LogRecordExporter;
  private readonly collecting = new Collecting();
  private readonly loggers = new Map<string, { provider: LoggerProvider; logger: Logger }>();
  /** Records sent and acknowledged so far. */
  sent = 0;

  constructor(readonly target: OtlpTarget) {
    const config = { url: target.url, headers: target.headers, timeoutMillis: target.timeoutMs };
    this.exporter = target.protocol === 'http/json' ? new JsonExporter(config) : new ProtoExporter(config);
  }

  /** Declares a process (a resource); `id` names it in emit. */
  resource(id: string, attributes: OtlpAttributes): void {
    if (this.loggers.has(id)) return;
    const provider = new LoggerProvider({ resource: resourceFromAttributes(attributes), processors: [this.collecting] });
    this.loggers.set(id, { provider, logger: provider.getLogger('envtrace', VERSION) });
  }

  /** Queues one record of resource `id` (declared first). */
  emit(id: string, log: OtlpLog): void {
    this.loggers.get(id)!.logger.emit({
      timestamp: log.time,
      observedTimestamp: Date.now(),
      severityNumber: log.warn ? SeverityNumber.WARN : SeverityNumber.INFO,
      severityText: log.warn ? 'WARN' : 'INFO',
      body: log.body,
      attributes: log.attributes,
    });
  }

  /** Records queued and not yet acknowledged. */
  get pending(): number {
    return this.collecting.records.length;
  }

  /**
   * Exports every queued record, BATCH per request; resolves once the collector acknowledged
   * them all. On failure the records not acknowledged stay queued (flush again to retry) and
   * OtlpSendError says why.
   */
  async flush(): Promise<void> {
    while (this.collecting.records.length) {
      const batch = this.collecting.records.slice(0, BATCH);
      const result = await new Promise<{ code: ExportResultCode; error?: Error }>((res) => this.exporter.export(batch, res));
      if (result.code !== ExportResultCode.SUCCESS) throw new OtlpSendError(describe(result.error, this.target.url));
      this.collecting.records.splice(0, batch.length);
      this.sent += batch.length;
    }
  }

  /** Drops queued records (after giving up) and closes connections. */
  async shutdown(): Promise<void> {
    this.collecting.records = [];
    await Promise.all([...this.loggers.values()].map((l) => l.provider.shutdown()));
    await this.exporter.shutdown();
  }
}

/** One line saying why an export failed. */
function describe(error: Error | undefined, url: string): string {
  if (!error) return `${url}: export failed`;
  const e = error as Error & { code?: unknown; errors?: Error[]; data?: string };
  // Connection errors to a host with several addresses come as an AggregateError.
  const inner = e.errors?.[0] as (Error & { code?: unknown }) | undefined;
  const code = typeof e.code === 'string' ? e.code : typeof inner?.code === 'string' ? inner.code : undefined;
  if (code === 'ECONNREFUSED') return `${url}: connection refused (is the collector's OTLP/HTTP receiver listening there?)`;
  if (code !== undefined) return `${url}: ${code}${e.message ? ` (${e.message})` : ''}`;
  if (typeof e.code === 'number') return `${url}: HTTP ${e.code}${e.message ? ` ${e.message}` : ''}${e.data ? `: ${e.data.slice(0, 200)}` : ''}`;
  return `${url}: ${e.message || 'export failed'}`;
}
