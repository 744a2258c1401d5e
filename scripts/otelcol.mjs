// The OpenTelemetry Collector the tests send OTLP logs to (test/collector: the otlp receiver
// and the file exporter at one release). Built once per source and Go version into
// <cache>/envtrace/otelcol/<hash>/otelcol (the go build cache makes later builds cheap too);
// prints the binary's path. `npm test -- go` runs it before the suite; test/go/collector.ts
// runs it too, so a single test file works on its own.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'test', 'collector');
const go = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
if (go.status !== 0) {
  process.stderr.write(`otelcol: go env GOVERSION failed: ${go.stderr}\n`);
  process.exit(1);
}
const h = createHash('sha256').update(go.stdout.trim());
for (const f of ['go.mod', 'go.sum', 'main.go']) h.update('\0' + readFileSync(join(src, f), 'utf8'));
const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
const dir = join(cache, 'envtrace', 'otelcol', h.digest('hex').slice(0, 16));
const bin = join(dir, 'otelcol');
if (!existsSync(bin)) {
  mkdirSync(dir, { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  const t0 = Date.now();
  const r = spawnSync('go', ['build', '-trimpath', '-buildvcs=false', '-o', tmp, '.'], { cwd: src, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    process.stderr.write('otelcol: go build of test/collector failed\n');
    process.exit(1);
  }
  renameSync(tmp, bin);
  process.stderr.write(`otelcol: built ${bin} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(bin + '\n');
