// Docker runtime: create -> ready through the write service (POST /apis/envs/sandbox/v1/start,
// answered once the sandbox runs and rocklet answers /is_alive), sequential and 20 concurrent,
// against a baseline measured in the same run: raw `docker run -d --init` of the same image with the
// same bundle mount and loader command, polling the same /is_alive. Target: p50 within 1.3x.
// Usage: node bench/control-plane/docker-create.bench.mjs [--n 20] [--concurrent 20] [--image rock-test-busybox:latest]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { firstAnswer, intArg, machine, printTable, record, stringArg, summarize, testing } from '../rocklet/harness.mjs';
import { BenchPlane, expectSuccess, loadAverage, pool } from './plane.mjs';

const run = promisify(execFile);
const t = testing();
const image = stringArg('image', t.TEST_IMAGES.busybox);
const n = intArg('n', 20);
const concurrent = intArg('concurrent', 20);

/** Baseline: docker run -d (bundle mount, loader command, labelled as ours) -> /is_alive. */
async function rawDockerReady(plane) {
  const t0 = process.hrtime.bigint();
  const args = ['run', '-d', '--init', '--label', `rock.instance=${plane.instance}`, '-e', 'ROCKLET_TOKEN=bench',
    '-v', `${t.rockletBundleDir()}:/rock:ro`, image, ...t.rockletContainerCommand()];
  const { stdout } = await run('docker', args, { timeout: 120_000 });
  const id = stdout.trim();
  const ip = (await run('docker', ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', id], { timeout: 60_000 })).stdout.trim();
  await firstAnswer(`http://${ip}:22555/is_alive`, { deadlineMs: 60_000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, id };
}

async function serviceReady(plane, write, sandboxId) {
  const { ms, answer } = await plane.startSandbox(write, { image, sandbox_id: sandboxId, memory: '256m', cpus: 0.5 });
  expectSuccess(answer, `start ${sandboxId}`);
  return ms;
}

async function stopService(write, id) {
  expectSuccess(await write.post('/apis/envs/sandbox/v1/stop', { sandbox_id: id }), `stop ${id}`);
}

async function sequential(plane, write) {
  const base = [];
  const service = [];
  for (let i = 0; i < n; i += 1) {
    const raw = await rawDockerReady(plane);
    base.push(raw.ms);
    await run('docker', ['rm', '-f', raw.id], { timeout: 60_000 });
    const id = `seq-${i}`;
    service.push(await serviceReady(plane, write, id));
    await stopService(write, id);
  }
  return [summarize(`sequential: docker run -d -> /is_alive (baseline)`, base), summarize(`sequential: POST /start -> running`, service)];
}

async function burst(plane, write) {
  const raws = await pool(concurrent, concurrent, () => rawDockerReady(plane));
  await Promise.all(raws.map((r) => run('docker', ['rm', '-f', r.id], { timeout: 120_000 })));
  const ids = Array.from({ length: concurrent }, (_, i) => `burst-${i}`);
  const service = await pool(concurrent, concurrent, (i) => serviceReady(plane, write, ids[i]));
  await pool(ids.length, 8, (i) => stopService(write, ids[i]));
  return [
    summarize(`${concurrent} concurrent: docker run -d -> /is_alive (baseline)`, raws.map((r) => r.ms)),
    summarize(`${concurrent} concurrent: POST /start -> running`, service),
  ];
}

function verdict(base, service) {
  const ratio = service.p50 / base.p50;
  return `${service.name}: p50 ${service.p50.toFixed(1)} ms = ${ratio.toFixed(2)}x baseline p50 ${base.p50.toFixed(1)} ms -> target (<= 1.3x) ${ratio <= 1.3 ? 'MET' : 'NOT MET'}`;
}

async function main() {
  console.log(`docker create benchmark: ${machine()}; image ${image}; n=${n}, concurrent=${concurrent}; load ${loadAverage()}`);
  const plane = new BenchPlane('dcreate', { runtime: 'docker', env: { ROCK_WORKER_CONCURRENCY: String(Math.max(8, concurrent)) } });
  let rows = [];
  try {
    const write = await plane.startService('write');
    // Warm-up (untimed): the first create pays for module loading and the image inspect cache.
    await serviceReady(plane, write, 'warmup');
    await stopService(write, 'warmup');
    rows = [...(await sequential(plane, write)), ...(await burst(plane, write))];
  } finally {
    await plane.cleanup();
  }
  printTable('create -> ready (docker runtime)', rows);
  const verdicts = [verdict(rows[0], rows[1]), verdict(rows[2], rows[3])];
  console.log(`\n${verdicts.join('\n')}\nload after: ${loadAverage()}`);
  console.log(`recorded ${record('control-plane-docker-create', { image, rows, verdicts })}`);
}

await main();
