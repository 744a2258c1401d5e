// A real OpenTelemetry Collector for the OTLP tests (test/collector, built and cached by
// scripts/otelcol.mjs): the otlp receiver on a free loopback port, the file exporter appending
// OTLP JSON lines to a file, which `logsIn` reads back.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { root } from './cliSupport';

/** The collector binary (built on first use). */
export function collectorBinary(): string {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'otelcol.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('scripts/otelcol.mjs failed to build the test collector');
  return r.stdout.trim();
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((res) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => (c.destroy(), res(true)));
    c.once('error', () => res(false));
  });
}

/** A running collector; `stop` and `start` keep its port and output file. */
export class Collector {
  private child: ChildProcess | null = null;
  log = '';
  private constructor(
    readonly bin: string,
    readonly port: number,
    readonly out: string,
    private readonly config: string,
  ) {}

  static async start(dir: string): Promise<Collector> {
    const port = await freePort();
    const out = join(dir, 'collector-out.jsonl');
    const config = join(dir, 'collector.yaml');
    writeFileSync(
      config,
      [
        'receivers:',
        '  otlp:',
        '    protocols:',
        '      http:',
        `        endpoint: 127.0.0.1:${port}`,
        'exporters:',
        '  file:',
        `    path: ${out}`,
        '    append: true',
        '    flush_interval: 50ms',
        'service:',
        '  telemetry:',
        '    metrics:',
        '      level: none',
        '    logs:',
        '      level: warn',
        '  pipelines:',
        '    logs:',
        '      receivers: [otlp]',
        '      exporters: [file]',
        '',
      ].join('\n'),
    );
    const c = new Collector(collectorBinary(), port, out, config);
    await c.start();
    return c;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the collector and resolves once its receiver accepts connections. */
  async start(): Promise<void> {
    const child = spawn(this.bin, ['--config', `file:${this.config}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (d) => (this.log += d));
    child.stderr!.on('data', (d) => (this.log += d));
    let exited = false;
    child.once('exit', () => (exited = true));
    while (!(await accepts(this.port))) {
      if (exited) throw new Error(`the collector exited at start:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops it with `signal` (SIGKILL: no flush) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((res) => {
      child.once('exit', () => res());
      child.kill(signal);
    });
    this.child = null;
  }
}

/** One log record as the collector wrote it, with its resource's attributes, attribute values unwrapped. */
export interface CollectedLog {
  resource: Record<string, unknown>;
  attributes: Record<string, unknown>;
  body: string;
  severityText: string;
  timeUnixNano: string;
}

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}

function unwrap(v: AnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(unwrap);
  return null;
}

function attrs(list: { key: string; value: AnyValue }[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, unwrap(a.value)]));
}

/** Every log record in the file exporter's output (one OTLP JSON request per line). */
export function logsIn(file: string): CollectedLog[] {
  if (!existsSync(file)) return [];
  const out: CollectedLog[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop(); // after the last newline: empty, or a line the collector is still writing
  for (const line of lines) {
    if (!line.trim()) continue;
    const req = JSON.parse(line) as { resourceLogs: { resource?: { attributes?: [] }; scopeLogs?: { logRecords?: { attributes?: []; body?: AnyValue; severityText?: string; timeUnixNano?: string }[] }[] }[] };
    for (const rl of req.resourceLogs) {
      const resource = attrs(rl.resource?.attributes);
      for (const sl of rl.scopeLogs ?? []) {
        for (const r of sl.logRecords ?? []) {
          out.push({ resource, attributes: attrs(r.attributes), body: String(unwrap(r.body ?? {}) ?? ''), severityText: r.severityText ?? '', timeUnixNano: r.timeUnixNano ?? '' });
        }
      }
    }
  }
  return out;
}
