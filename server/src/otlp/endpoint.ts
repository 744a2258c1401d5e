/**
 * Where OTLP logs go, from `--otlp URL` / `--protocol` or the OpenTelemetry SDK variables,
 * resolved as the SDKs resolve them: OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is used as is,
 * OTEL_EXPORTER_OTLP_ENDPOINT (like --otlp) is a base to which `v1/logs` is added,
 * OTEL_EXPORTER_OTLP_[LOGS_]PROTOCOL picks the encoding (default http/protobuf),
 * OTEL_EXPORTER_OTLP_[LOGS_]HEADERS adds headers (the exporter reads those itself).
 */

export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** An endpoint and how to talk to it. */
export interface OtlpTarget {
  /** The full logs URL (…/v1/logs). */
  url: string;
  protocol: OtlpProtocol;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

const PROTOCOLS: readonly string[] = ['http/protobuf', 'http/json'];

/** An input error in the OTLP settings (a bad URL or protocol). */
export class OtlpSettingsError extends Error {}

/** `base` (an OTLP/HTTP address) with `v1/logs` appended, as the SDKs do for OTEL_EXPORTER_OTLP_ENDPOINT. */
export function logsUrl(base: string, what: string): string {
  const url = checkedUrl(base, what);
  return url.endsWith('/') ? `${url}v1/logs` : `${url}/v1/logs`;
}

function checkedUrl(text: string, what: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new OtlpSettingsError(`${what} is not a URL: "${text}" (e.g. http://collector:4318)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new OtlpSettingsError(`${what}: OTLP/HTTP needs an http:// or https:// URL, not "${text}"`);
  return text;
}

/**
 * The target for `--otlp` (or undefined) and `--protocol` (or undefined) under `env`.
 * With neither flag nor variable the SDKs' default applies: http://localhost:4318/v1/logs.
 */
export function resolveTarget(flagUrl: string | undefined, flagProtocol: string | undefined, env: NodeJS.ProcessEnv): OtlpTarget {
  const nonEmpty = (k: string) => (env[k] ?? '').trim() || undefined;
  let url: string;
  if (flagUrl !== undefined) url = logsUrl(flagUrl, '--otlp');
  else if (nonEmpty('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT')) url = checkedUrl(nonEmpty('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT')!, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  else if (nonEmpty('OTEL_EXPORTER_OTLP_ENDPOINT')) url = logsUrl(nonEmpty('OTEL_EXPORTER_OTLP_ENDPOINT')!, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  else url = 'http://localhost:4318/v1/logs';
  const protocol = flagProtocol ?? nonEmpty('OTEL_EXPORTER_OTLP_LOGS_PROTOCOL') ?? nonEmpty('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (!PROTOCOLS.includes(protocol)) {
    const hint = protocol === 'grpc' ? ' (gRPC is not supported: use the collector\'s OTLP/HTTP port, 4318)' : '';
    throw new OtlpSettingsError(`the OTLP protocol is http/protobuf or http/json, not "${protocol}"${hint}`);
  }
  return { url, protocol: protocol as OtlpProtocol };
}
