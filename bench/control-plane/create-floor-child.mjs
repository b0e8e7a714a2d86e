// Child process of create-floor.bench.mjs, so its CPU is measured apart from the load generator.
//   http <port>: a bare Fastify server (no Nest, no Redis) with one POST route that validates nothing,
//                and answers a start-sized JSON envelope.
//   bullmq <redisUrl> <prefix> <n> <concurrency> <rounds>: a Queue and a Worker in this one process
//                (as in a write replica); each round adds n jobs at once, a no-op processor runs them,
//                and each add resolves when its job's `completed` event arrives. Prints one JSON line
//                per round: { p50, min, max, cpuMs }.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(join(fileURLToPath(import.meta.url), '..', '..', '..', 'package.json'));
const [mode, ...args] = process.argv.slice(2);

async function http(port) {
  const fastify = require('fastify')({ logger: false });
  const answer = { status: 'Success', message: null, error: null, result: { sandbox_id: '', host_ip: '127.0.0.1', host_name: 'host', state: 'running', code: 0, status: {} } };
  fastify.post('/start', async (request) => ({ ...answer, result: { ...answer.result, sandbox_id: request.body.sandbox_id } }));
  await fastify.listen({ port: Number(port), host: '127.0.0.1' });
  console.log('listening');
}

async function bullmq(redisUrl, prefix, n, concurrency, rounds) {
  const { Queue, Worker } = require('bullmq');
  const { Redis } = require('ioredis');
  const connection = () => new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('floor', { connection: connection(), prefix });
  const waiters = new Map();
  const worker = new Worker('floor', async () => 'done', { connection: connection(), prefix, concurrency: Number(concurrency) });
  worker.on('completed', (job) => waiters.get(job.id)?.());
  await worker.waitUntilReady();
  const options = { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: true };
  const one = async (id) => {
    const t0 = performance.now();
    const done = new Promise((resolve) => waiters.set(id, resolve));
    await queue.add('create', { sandboxId: id, incarnation: 1 }, { ...options, jobId: id });
    await done;
    waiters.delete(id);
    return performance.now() - t0;
  };
  for (let round = 0; round < Number(rounds); round += 1) {
    const cpu0 = process.cpuUsage();
    const times = (await Promise.all(Array.from({ length: Number(n) }, (_, i) => one(`r${round}-${i}`)))).sort((a, b) => a - b);
    const cpu = process.cpuUsage(cpu0);
    console.log(JSON.stringify({ round, p50: times[times.length >> 1], min: times[0], max: times[times.length - 1], cpuMs: (cpu.user + cpu.system) / 1000 }));
  }
  await queue.obliterate({ force: true });
  process.exit(0);
}

if (mode === 'http') await http(...args);
else if (mode === 'bullmq') await bullmq(...args);
else throw new Error(`unknown mode ${mode}`);
