// examples/containers: the Dockerfile's stages and the Kubernetes manifest (parsed with js-yaml,
// already in node_modules) hold what README's "Containers, CI and Kubernetes" promises. No docker
// daemon or cluster runs here: test/go/build.test.ts runs the build stage's commands for real.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

// js-yaml has no types here: the one function used is declared.
const yaml = require('js-yaml') as { loadAll(text: string): unknown[] };

const dir = join(__dirname, '..', '..', '..', 'examples', 'containers');

interface Stage {
  from: string;
  name: string;
  lines: string[];
}

/** The Dockerfile's stages: FROM image and name, then its instructions (continuations joined). */
function stages(text: string): Stage[] {
  const out: Stage[] = [];
  const joined = text.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const l of joined) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(l);
    if (from) out.push({ from: from[1], name: from[2] ?? '', lines: [] });
    else out.at(-1)?.lines.push(l);
  }
  return out;
}

test('Dockerfile: envtrace build in the Go build stage; the service image holds the binary only; the ship stage runs the sidecar', () => {
  const s = stages(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
  assert.deepEqual(s.map((x) => x.name), ['envtrace', 'build', 'ship', 'service']);
  const build = s.find((x) => x.name === 'build')!;
  assert.match(build.from, /^golang:/);
  assert.ok(build.lines.includes('COPY --from=envtrace /envtrace/dist /opt/envtrace/dist'));
  assert.ok(build.lines.some((l) => /^RUN CGO_ENABLED=0 envtrace build -trimpath -o \/out\/service \.$/.test(l)), build.lines.join('\n'));
  const service = s.at(-1)!;
  assert.deepEqual(service.lines, ['COPY --from=build /out/service /service', 'ENTRYPOINT ["/service"]'], 'no envtrace, no key, no ENVTRACE_DIR in the image');
  const ship = s.find((x) => x.name === 'ship')!;
  assert.ok(ship.lines.includes('ENTRYPOINT ["node", "/opt/envtrace/dist/cli.js"]'));
  assert.ok(ship.lines.includes('CMD ["ship", "--otlp", "http://collector:4318", "--dir", "/envtrace"]'));
});

interface Container {
  name: string;
  args?: string[];
  restartPolicy?: string;
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}

test('Kubernetes: the service and the ship sidecar share an emptyDir; the key is a mounted Secret; pod and namespace from the downward API', () => {
  const docs = yaml.loadAll(readFileSync(join(dir, 'kubernetes.yaml'), 'utf8')) as { kind: string; spec: { template: { spec: Record<string, unknown> } } }[];
  assert.deepEqual(docs.map((d) => d.kind), ['Job']);
  const pod = docs[0].spec.template.spec as {
    volumes: { name: string; emptyDir?: object; secret?: { secretName: string } }[];
    initContainers: Container[];
    containers: Container[];
    securityContext: { runAsUser: number };
  };
  const shared = pod.volumes.find((v) => v.emptyDir)!;
  const [sidecar] = pod.initContainers;
  const [app] = pod.containers;
  assert.equal(sidecar.restartPolicy, 'Always', 'a native sidecar');
  assert.deepEqual(sidecar.args, ['ship', '--otlp', 'http://collector:4318', '--dir', '/envtrace']);
  const mountOf = (c: Container, volume: string) => c.volumeMounts.find((m) => m.name === volume);
  assert.equal(mountOf(sidecar, shared.name)?.mountPath, '/envtrace');
  assert.notEqual(mountOf(sidecar, shared.name)?.readOnly, true, 'ship writes its state file there');
  const env = Object.fromEntries((app.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom?.fieldRef?.fieldPath]));
  assert.equal(env.ENVTRACE_DIR, mountOf(app, shared.name)?.mountPath);
  assert.equal(env.POD_NAME, 'metadata.name');
  assert.equal(env.POD_NAMESPACE, 'metadata.namespace');
  assert.ok(env.OTEL_SERVICE_NAME);
  const secret = pod.volumes.find((v) => v.secret)!;
  const keyMount = mountOf(app, secret.name)!;
  assert.equal(keyMount.readOnly, true);
  assert.equal(env.ENVTRACE_KEY_FILE, `${keyMount.mountPath}/key`);
  assert.equal(mountOf(sidecar, secret.name), undefined, 'the sidecar never sees the key');
  assert.ok(pod.securityContext.runAsUser > 0, 'one non-root user for both containers (run files are 0600)');
});
