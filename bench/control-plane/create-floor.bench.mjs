// What a create costs below ROCK's own code, on this machine, in one run: the floors under the
// "100 concurrent local creates, p50 <= 100 ms" target.
//  1. HTTP: 100 concurrent POSTs (the local-create bench's client: undici, keep-alive agent) to a
//     bare Fastify server with one route and no Nest, Redis or validation — server CPU per request.
//  2. BullMQ: in one process (as in a write replica) 100 jobs added at once, run by a no-op
//     processor at the product's worker concurrency, each add waiting for its `completed` event —
//     that process's CPU per job and Redis's CPU per job (INFO cpu).
// A warm-pool create needs at least one of each (plus admission, the record, the runtime hand-over
// and the answer), all on the write replica's one event loop; so 100 creates answered in arrival
// order need >= 50 x (HTTP + BullMQ floor) ms of that core for the 50th answer.
// Usage: node bench/control-plane/create-floor.bench.mjs [--concurrent 100] [--rounds 5] [--worker-concurrency 8]
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intArg, machine, printTable, record, summarize, testing } from '../rocklet/harness.mjs';
import { httpJson, loadAverage, pool, REDIS_URL, withCpu } from './plane.mjs';

const concurrent = intArg('concurrent', 100);
const rounds = intArg('rounds', 5);
const workerConcurrency = intArg('worker-concurrency', 8);
const CHILD = join(fileURLToPath(import.meta.url), '..', 'create-floor-child.mjs');

function redisCpuMs() {
  const info = execFileSync('redis-cli', ['-u', REDIS_URL, 'info', 'cpu'], { encoding: 'utf8', timeout: 5000 });
  const field = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
}

function startChild(args) {
  const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  let rest = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const waitLines = async (count, deadlineMs) => {
    const deadline = Date.now() + deadlineMs;
    while (lines.length < count) {
      if (Date.now() > deadline) throw new Error(`floor child ${args[0]}: ${lines.length}/${count} lines within ${deadlineMs} ms`);
      if (child.exitCode !== null && lines.length < count) throw new Error(`floor child ${args[0]} exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return lines.slice(0, count);
  };
  return { child, lines, waitLines, exited };
}

async function httpFloor() {
  const port = await testing().freePort();
  const server = startChild(['http', String(port)]);
  try {
    await server.waitLines(1, 15_000);
    const url = `http://127.0.0.1:${port}/start`;
    const body = { image: 'local', memory: '128m', cpus: 0.1 };
    const burst = (tag) => pool(concurrent, concurrent, async (i) => {
      const t0 = performance.now();
      const answer = await httpJson(url, { method: 'POST', body: { ...body, sandbox_id: `${tag}-${i}` } });
      if (answer.status !== 200 || answer.body.result.sandbox_id !== `${tag}-${i}`) throw new Error(`bare Fastify answered ${answer.status}`);
      return performance.now() - t0;
    });
    await burst('warm');
    const samples = [];
    let cpu = 0;
    for (let r = 0; r < rounds; r += 1) {
      const { result, cpuMs } = await withCpu([server.child.pid], () => burst(`r${r}`));
      samples.push(...result);
      cpu += cpuMs;
    }
    return { row: summarize(`bare Fastify POST, ${concurrent} at once`, samples), cpuPerCall: cpu / (rounds * concurrent) };
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

async function bullmqFloor() {
  const prefix = `bench-floor-${randomBytes(4).toString('hex')}`;
  const redis0 = redisCpuMs();
  const worker = startChild(['bullmq', REDIS_URL, prefix, String(concurrent), String(workerConcurrency), String(rounds + 1)]);
  const lines = (await worker.waitLines(rounds + 1, 120_000)).map((l) => JSON.parse(l)).slice(1); // round 0 warms up
  const redisMs = redisCpuMs() - redis0;
  await worker.exited;
  const jobs = rounds * concurrent;
  return {
    row: summarize(`BullMQ no-op jobs, ${concurrent} at once: p50 of each round`, lines.map((l) => l.p50)),
    cpuPerJob: lines.reduce((s, l) => s + l.cpuMs, 0) / jobs,
    // Redis CPU over the whole child run (warm-up round included) per job.
    redisPerJob: redisMs / ((rounds + 1) * concurrent),
  };
}

async function main() {
  console.log(`create floor benchmark: ${machine()}; concurrent=${concurrent}, rounds=${rounds}, worker concurrency ${workerConcurrency}; load ${loadAverage()}`);
  const http = await httpFloor();
  const bull = await bullmqFloor();
  printTable('floors under a create (no ROCK code)', [http.row, bull.row]);
  const floor = http.cpuPerCall + bull.cpuPerJob;
  const verdicts = [
    `bare Fastify: server CPU ${http.cpuPerCall.toFixed(2)} ms per request ; a do-nothing server answers the ${concurrent}-request burst with p50 ${http.row.p50.toFixed(1)} ms, p99 ${http.row.p99.toFixed(1)} ms`,
    `BullMQ (one process, worker concurrency ${workerConcurrency}): CPU ${bull.cpuPerJob.toFixed(2)} ms per job; Redis CPU ${bull.redisPerJob.toFixed(2)} ms per job`,
    `floor of one write replica per create (HTTP + BullMQ, no admission, record or runtime): ${floor.toFixed(2)} ms of its core -> the 50th of ${concurrent} answers in arrival order needs >= ${(50 * floor).toFixed(0)} ms`,
  ];
  console.log(`\n${verdicts.join('\n')}\nload after: ${loadAverage()}`);
  console.log(`recorded ${record('control-plane-create-floor', { rows: [http.row, bull.row], verdicts })}`);
}

await main();
