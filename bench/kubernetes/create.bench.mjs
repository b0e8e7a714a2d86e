// KubernetesRuntime create → Ready against the test-only API server double (pods run as Docker
// containers; the init container really copies the 100+ MB rocklet bundle unless --bind-bundle):
// sequential creates, then --concurrent creates at once. Prints the time split by phase (from the
// driver's onPhase reports) and the API requests per sandbox the double counted (create + delete,
// watch streams excluded; the informer's single list+watch is reported separately).
// Usage: node bench/kubernetes/create.bench.mjs [--n 5] [--concurrent 20] [--bind-bundle]
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, intArg, machine, printTable, record, summarize, testing } from '../rocklet/harness.mjs';

const require = createRequire(import.meta.url);
const { KubernetesRuntime } = require(join(ROOT, 'dist', 'libs', 'runtime', 'src', 'index.js'));
const { K8sApiDouble } = require(join(ROOT, 'dist', 'test', 'support', 'k8s-api-double', 'index.js'));
const t = testing();
const n = intArg('n', 5);
const concurrent = intArg('concurrent', 20);
const bindBundle = process.argv.includes('--bind-bundle');

function spec(id) {
  return {
    sandboxId: id, image: t.TEST_IMAGES.busybox, memoryBytes: 128 * 1024 * 1024, cpus: 0.1, env: {},
    pull: 'missing', startupTimeoutMs: 300_000, rockletToken: `tok-${id}`,
  };
}

async function createOne(runtime, id) {
  const updates = [];
  const began = performance.now();
  await runtime.create(spec(id), { onPhase: (u) => updates.push({ ...u, t: performance.now() }) });
  const total = performance.now() - began;
  const started = new Map();
  const phases = {};
  for (const u of updates) {
    if (u.status === 'running') started.set(u.phase, u.t);
    else phases[u.phase] = u.t - (started.get(u.phase) ?? u.t);
  }
  return { total, phases };
}

function phaseRows(label, results) {
  const rows = [summarize(`${label}: create → Ready (total)`, results.map((r) => r.total))];
  for (const phase of ['container_create', 'image_pull', 'container_start', 'rocklet_ready']) {
    rows.push(summarize(`${label}: ${phase}`, results.map((r) => r.phases[phase] ?? 0)));
  }
  return rows;
}

async function main() {
  const double = await K8sApiDouble.start({ docker: t.dockerForTests(), ...(bindBundle ? { bundleDir: t.rockletBundleDir() } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'rock-k8s-bench-'));
  const namespace = t.uniqueTestLabel('k8s-bench').slice(0, 63);
  const runtime = new KubernetesRuntime({
    namespace, instance: namespace, rockletImage: 'rock-rocklet-runtime:latest',
    auth: { mode: 'kubeconfig', path: double.writeKubeconfig(join(dir, 'kubeconfig')) },
  });
  const ids = [];
  try {
    await runtime.start();
    const before = double.requests.length;
    const sequential = [];
    for (let i = 0; i < n; i++) {
      const id = `bench-seq-${i}-${Date.now().toString(36)}`;
      ids.push(id);
      sequential.push(await createOne(runtime, id));
    }
    const batch = Array.from({ length: concurrent }, (_, i) => `bench-par-${i}-${Date.now().toString(36)}`);
    ids.push(...batch);
    const wall = performance.now();
    const parallel = await Promise.all(batch.map((id) => createOne(runtime, id)));
    const parallelWall = performance.now() - wall;
    for (const id of ids) await runtime.destroy(id);
    const calls = double.requests.slice(before);
    const rest = calls.filter((r) => r.query.watch !== 'true');
    const perSandbox = rest.length / ids.length;
    const rows = [...phaseRows('sequential', sequential), ...phaseRows(`${concurrent} concurrent`, parallel)];
    printTable(`KubernetesRuntime against the API double (${bindBundle ? 'bundle bind-mounted' : 'init container copies the bundle'})`, rows);
    console.log(`${concurrent} concurrent: wall ${parallelWall.toFixed(0)} ms`);
    console.log(`API requests per sandbox (create + destroy, excluding watch streams): ${perSandbox.toFixed(2)} ` +
      `(${rest.length} for ${ids.length} sandboxes: ${[...new Set(rest.map((r) => r.method))].map((m) => `${m} ${rest.filter((r) => r.method === m).length}`).join(', ')}); ` +
      `watch requests during the run: ${calls.length - rest.length}; informer ${JSON.stringify(runtime.informerStats())}`);
    record('kubernetes-create', { machine: machine(), n, concurrent, bindBundle, rows, parallelWallMs: parallelWall, requestsPerSandbox: perSandbox });
  } finally {
    for (const id of ids) await runtime.destroy(id).catch(() => undefined);
    await runtime.close();
    await double.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
