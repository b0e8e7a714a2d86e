// Write service: CPU per create *intake* (POST /start_async: auth, validation, admission script,
// queue add, the answer), with the lifecycle queue paused so no create job runs and nothing else
// shares the process's CPU; and per refused request (validation). The A/B measure for changes to
// the HTTP path of creates (e.g. the Nest pipeline -> plain Fastify route), where a whole-burst
// number (local-create.bench.mjs) is dominated by job and runtime work.
// Usage: node bench/control-plane/create-intake.bench.mjs [--n 800] [--concurrency 10]
// (n + warm-up stay under the 1000-job backlog at which admission refuses).
import { createRequire } from 'node:module';
import { intArg, machine, record } from '../rocklet/harness.mjs';
import { BenchPlane, loadAverage, pool, REDIS_URL, SANDBOX_API, withCpu } from './plane.mjs';

const require = createRequire(import.meta.url);
const { Queue } = require('bullmq');
const n = intArg('n', 800);
const concurrency = intArg('concurrency', 10);
const WARMUP = 100;

/** Pauses the plane's lifecycle queue: accepted creates stay queued, no job runs. */
async function pauseQueue(plane) {
  const url = new URL(REDIS_URL);
  const queue = new Queue('rock-lifecycle', { connection: { host: url.hostname, port: Number(url.port) }, prefix: plane.queuePrefix });
  try {
    await queue.pause();
  } finally {
    await queue.close();
  }
}

/** CPU ms per request of `n` POSTs (after a warm-up), each answer checked by `accept`. */
async function cpuPerRequest(write, route, body, accept) {
  const post = async (i) => {
    const answer = await write.post(`${SANDBOX_API}/${route}`, body(i), 30_000);
    if (!accept(answer.body)) throw new Error(`${route}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  };
  await pool(WARMUP, concurrency, (i) => post(-1 - i));
  const { cpuMs } = await withCpu([write.child.pid], () => pool(n, concurrency, post));
  return cpuMs / n;
}

const plane = new BenchPlane('intake', { runtime: 'local', env: { ROCK_LOCAL_WARM_POOL: '0' } });
const load = { before: loadAverage() };
try {
  const write = await plane.startService('write');
  await pauseQueue(plane);
  const sandbox = (i) => ({ image: 'local', sandbox_id: `intake-${i < 0 ? `w${-i}` : i}`, memory: '128m', cpus: 0.1 });
  const accepted = await cpuPerRequest(write, 'start_async', sandbox, (b) => b?.status === 'Success');
  const refused = await cpuPerRequest(write, 'start', () => ({ image: ' ', cpus: 0 }), (b) => b?.message === 'invalid parameter');
  load.after = loadAverage();
  console.log(`create intake benchmark: ${machine()}; n=${n}, concurrency=${concurrency}; load ${load.before} -> ${load.after}`);
  console.log(`write-service CPU per start_async accepted (queue paused): ${accepted.toFixed(3)} ms`);
  console.log(`write-service CPU per start refused by validation:        ${refused.toFixed(3)} ms`);
  console.log(`recorded ${record('control-plane-create-intake', { n, concurrency, load, cpuMsPerAccepted: accepted, cpuMsPerRefused: refused })}`);
} finally {
  await plane.cleanup();
}
