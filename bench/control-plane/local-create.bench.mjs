// Local runtime: 100 concurrent creates through the write service (POST /start, answered once the
// sandbox runs): success rate and p50/p99, with a warm pool of pre-started rocklets as large as the
// burst (ROCK_LOCAL_WARM_POOL=100) and, as the second row, cold (ROCK_LOCAL_WARM_POOL=0: every
// create boots its rocklet). Each plane: a few sequential creates, one untimed-for-CPU first burst (reported:
// a just-booted replica runs unoptimized code), then the measured burst. Also the write service's CPU per
// create, the time to fill the pool and the memory (RSS) the idle pool holds.
// Targets: 100 % success, p50 <= 100 ms.
// Usage: node bench/control-plane/local-create.bench.mjs [--concurrent 100] [--n 10] [--cold 1]
//   [--worker-concurrency N] [--count-redis 0|1] [--cpu-prof-dir DIR]  (--cold 0 skips the cold plane; --worker-concurrency
//   overrides the product default of 8 jobs at once; --count-redis 0 skips the `redis-cli monitor` command count, whose
//   load is on the same 2 cores; --cpu-prof-dir writes the warm write service's V8 CPU profile there)
import { intArg, machine, printTable, record, stringArg, summarize } from '../rocklet/harness.mjs';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { BenchPlane, loadAverage, pool, withCpu } from './plane.mjs';

const concurrent = intArg('concurrent', 100);
const n = intArg('n', 10);
const withCold = stringArg('cold', '1') !== '0';
// 0: the product default (ROCK_WORKER_CONCURRENCY unset).
const workerConcurrency = intArg('worker-concurrency', 0);
const workerEnv = workerConcurrency > 0 ? { ROCK_WORKER_CONCURRENCY: String(workerConcurrency) } : {};
const cpuProfDir = stringArg('cpu-prof-dir', '');
const countRedis = stringArg('count-redis', '1') !== '0';

async function timedCreate(plane, write, id) {
  try {
    const { ms, answer } = await plane.startSandbox(write, { image: 'local', sandbox_id: id, memory: '128m', cpus: 0.1 });
    const ok = answer.status === 200 && answer.body?.status === 'Success';
    return { ms, ok, error: ok ? null : `${answer.body?.error ?? JSON.stringify(answer.body).slice(0, 200)}` };
  } catch (err) {
    return { ms: NaN, ok: false, error: String(err) };
  }
}

/** A sample's value from the write service's /metrics (0 when absent). */
async function metric(write, series) {
  const { body } = await write.get('/metrics');
  const line = String(body).split('\n').find((l) => l.startsWith(`${series} `) || l.startsWith(`${series}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

async function waitForPool(write, size, deadlineMs) {
  const t0 = Date.now();
  while (Date.now() - t0 < deadlineMs) {
    if ((await metric(write, 'rock_local_warm_pool_ready')) >= size) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`warm pool did not reach ${size} within ${deadlineMs} ms`);
}

/**
 * Host processes carrying `ROCK_LOCAL_WARM=<instance>/…` (pooled rocklets, bwrap included), their
 * summed RSS (shared pages counted in every process) and PSS (shared pages split between sharers).
 */
function warmProcesses(instance) {
  const marker = `ROCK_LOCAL_WARM=${instance}/`;
  let rssKb = 0;
  let pssKb = 0;
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').some((v) => v.startsWith(marker))) continue;
      pids.push(Number(entry));
      rssKb += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] ?? 0);
      pssKb += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return { pids, rssMb: rssKb / 1024, pssMb: pssKb / 1024 };
}

/**
 * Counts the Redis commands naming this plane (its key and queue prefixes) while it runs, through
 * `redis-cli monitor`: top-level commands (from the services) and those run inside Lua scripts.
 */
function redisCommandCounter(planeId) {
  const monitor = spawn('redis-cli', ['monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const counts = { topLevel: 0, lua: 0, byCommand: new Map() };
  let rest = '';
  monitor.stdout.setEncoding('utf8').on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes(planeId)) continue;
      const lua = line.includes(' lua] ');
      if (lua) counts.lua += 1;
      else counts.topLevel += 1;
      const command = `${lua ? 'lua:' : ''}${/\] "([^"]+)"/.exec(line)?.[1]?.toLowerCase() ?? '?'}`;
      counts.byCommand.set(command, (counts.byCommand.get(command) ?? 0) + 1);
    }
  });
  return {
    ready: new Promise((resolve) => monitor.stdout.once('data', resolve)),
    stop() {
      monitor.kill();
      return counts;
    },
  };
}

async function stopAll(write, ids) {
  await pool(ids.length, 16, (i) => write.post('/apis/envs/sandbox/v1/stop', { sandbox_id: ids[i] }));
}

/** One plane: n sequential creates, then `concurrent` at once (write CPU measured), all stopped. */
async function run(plane, write, tag, beforeBurst) {
  const seqIds = Array.from({ length: n }, (_, i) => `${tag}-seq-${i}`);
  const seq = [];
  for (const id of seqIds) seq.push(await timedCreate(plane, write, id));
  await stopAll(write, seqIds);
  await beforeBurst();
  // The first burst after boot runs on unoptimized code (JIT); it is reported, then a second, timed
  // with CPU and command counts, shows the steady state of a replica that has served a while.
  const firstIds = Array.from({ length: concurrent }, (_, i) => `${tag}-first-${i}`);
  const first = await pool(concurrent, concurrent, (i) => timedCreate(plane, write, firstIds[i]));
  await stopAll(write, firstIds);
  await beforeBurst();
  const ids = Array.from({ length: concurrent }, (_, i) => `${tag}-burst-${i}`);
  const loadBefore = loadAverage();
  const counter = countRedis ? redisCommandCounter(plane.id) : null;
  if (counter) await Promise.race([counter.ready, new Promise((r) => setTimeout(r, 2000))]);
  const { result: burst, cpuMs } = await withCpu([write.child.pid], () => pool(concurrent, concurrent, (i) => timedCreate(plane, write, ids[i])));
  // Creates answered; give the queue's job bookkeeping a moment to land before counting stops.
  await new Promise((r) => setTimeout(r, 300));
  const redis = counter ? counter.stop() : { topLevel: 0, lua: 0, byCommand: new Map() };
  await stopAll(write, ids);
  return { seq, first, burst, cpuMs, loadBefore, redis };
}

async function warmRun() {
  const plane = new BenchPlane('lcreate-warm', { runtime: 'local', env: { ...workerEnv, ROCK_LOCAL_WARM_POOL: String(concurrent) }, nodeArgs: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [] });
  try {
    const write = await plane.startService('write');
    const fillMs = await waitForPool(write, concurrent, 600_000);
    const idle = warmProcesses(plane.instance);
    const out = await run(plane, write, 'warm', () => waitForPool(write, concurrent, 600_000));
    const hits = await metric(write, 'rock_local_warm_pool_takes_total{outcome="hit",service="write"}');
    const misses = await metric(write, 'rock_local_warm_pool_takes_total{outcome="miss",service="write"}');
    return { ...out, fillMs, idle, hits, misses, instance: plane.instance };
  } finally {
    await plane.cleanup();
  }
}

async function coldRun() {
  const plane = new BenchPlane('lcreate-cold', { runtime: 'local', env: { ...workerEnv, ROCK_LOCAL_WARM_POOL: '0' } });
  try {
    const write = await plane.startService('write');
    return await run(plane, write, 'cold', () => Promise.resolve());
  } finally {
    await plane.cleanup();
  }
}

function row(name, results) {
  const r = summarize(name, results.filter((x) => x.ok).map((x) => x.ms));
  r.success = `${results.filter((x) => x.ok).length}/${results.length}`;
  return r;
}

async function main() {
  console.log(`local create benchmark: ${machine()}; concurrent=${concurrent}, sequential n=${n}; load ${loadAverage()}`);
  const warm = await warmRun();
  const left = warmProcesses(warm.instance).pids.length;
  const cold = withCold ? await coldRun() : null;
  const rows = [
    row(`${concurrent} concurrent, warm pool of ${concurrent}: POST /start -> running`, warm.burst),
    row(`  same, first burst after boot (cold JIT)`, warm.first),
    row('sequential, warm pool: POST /start -> running', warm.seq),
    ...(cold ? [
      row(`${concurrent} concurrent, cold (no pool): POST /start -> running`, cold.burst),
      row('sequential, cold: POST /start -> running', cold.seq),
    ] : []),
  ];
  printTable('create -> running (local runtime)', rows);
  const failures = [...warm.burst, ...warm.first, ...warm.seq, ...(cold?.burst ?? []), ...(cold?.first ?? []), ...(cold?.seq ?? [])].filter((r) => !r.ok).map((r) => r.error);
  const [w, , , c] = rows;
  const perCreate = (count) => (count / concurrent).toFixed(1);
  const topCommands = [...warm.redis.byCommand].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${perCreate(v)}`).join(', ');
  const verdicts = [
    `warm: success ${w.success} -> target 100 % ${w.success === `${concurrent}/${concurrent}` ? 'MET' : 'NOT MET'}; p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms -> target p50 <= 100 ms ${w.p50 <= 100 ? 'MET' : 'NOT MET'} (pool hits ${warm.hits}, misses ${warm.misses}; load before the burst ${warm.loadBefore})`,
    ...(cold ? [`cold: success ${c.success}; p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms (load before the burst ${cold.loadBefore})`] : []),
    `write-service CPU during the burst: warm ${(warm.cpuMs / concurrent).toFixed(1)} ms/create${cold ? `, cold ${(cold.cpuMs / concurrent).toFixed(1)} ms/create` : ''}`,
    `Redis commands per create (warm burst, redis-cli monitor): ${perCreate(warm.redis.topLevel)} top-level + ${perCreate(warm.redis.lua)} inside Lua; ${topCommands}`,
    `pool of ${concurrent}: filled in ${(warm.fillMs / 1000).toFixed(1)} s after boot; idle RSS ${warm.idle.rssMb.toFixed(0)} MiB / PSS ${warm.idle.pssMb.toFixed(0)} MiB in ${warm.idle.pids.length} processes (${(warm.idle.rssMb / concurrent).toFixed(1)} / ${(warm.idle.pssMb / concurrent).toFixed(1)} MiB per pooled rocklet); pooled processes left after shutdown: ${left}`,
  ];
  if (failures.length > 0) console.log(`failures (first 5):\n${failures.slice(0, 5).join('\n')}`);
  console.log(`\n${verdicts.join('\n')}\nload after: ${loadAverage()}`);
  console.log(`recorded ${record('control-plane-local-create', { rows, verdicts, failures: failures.slice(0, 20) })}`);
  if (left > 0) throw new Error(`${left} pooled rocklet processes survived the write service's shutdown`);
}

await main();
