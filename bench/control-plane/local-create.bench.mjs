// Local runtime: 100 concurrent creates through the write service (POST /start, answered once the
// rocklet host process answers /is_alive): success rate and p50/p99, plus a few sequential creates
// (the floor of one create), against a baseline in the same run: the same number of rocklet host
// processes started straight from the bundle (no control plane) at once, timed until each is ready,
// measured before and after the burst.
// Targets: 100 % success, p50 <= 100 ms.
// Usage: node bench/control-plane/local-create.bench.mjs [--concurrent 100] [--n 10]
import { intArg, machine, printTable, record, summarize, testing } from '../rocklet/harness.mjs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BenchPlane, freePort, loadAverage, pool } from './plane.mjs';

const t = testing();
const concurrent = intArg('concurrent', 100);
const n = intArg('n', 10);

async function timedCreate(plane, write, id) {
  try {
    const { ms, answer } = await plane.startSandbox(write, { image: 'local', sandbox_id: id, memory: '128m', cpus: 0.1 });
    const ok = answer.status === 200 && answer.body?.status === 'Success';
    return { ms, ok, error: ok ? null : `${answer.body?.error ?? JSON.stringify(answer.body).slice(0, 200)}` };
  } catch (err) {
    return { ms: NaN, ok: false, error: String(err) };
  }
}

/**
 * One rocklet host process from the bundle (the command the local runtime runs), until it logs
 * "rocklet ready" and then answers /is_alive. Waiting on its log line instead of polling keeps 100
 * concurrent pollers from eating the CPU the rocklets need to boot.
 */
async function rawRocklet() {
  const t0 = process.hrtime.bigint();
  const port = await freePort();
  const dir = t.rockletBundleDir();
  const cmd = [join(dir, 'lib/ld-linux-x86-64.so.2'), '--library-path', join(dir, 'lib'), join(dir, 'bin/node'), join(dir, 'rocklet.js')];
  const child = spawn(cmd[0], [...cmd.slice(1), '--host', '127.0.0.1', '--port', String(port)], {
    env: { PATH: process.env.PATH, ROCKLET_TOKEN: 'bench' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await readyLine(child, 180_000);
    const res = await fetch(`http://127.0.0.1:${port}/is_alive`, { signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`/is_alive answered ${res.status}`);
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, ok: true, child, exited };
  } catch (err) {
    return { ms: NaN, ok: false, error: String(err), child, exited };
  }
}

function readyLine(child, deadlineMs) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "rocklet ready" within ${deadlineMs} ms`)), deadlineMs);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out = (out + d).slice(-4096);
      if (out.includes('"msg":"rocklet ready"')) {
        clearTimeout(timer);
        child.stdout.resume();
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rocklet exited with ${code}`));
    });
  });
}

async function rawRocklets() {
  const results = await pool(concurrent, concurrent, () => rawRocklet());
  for (const r of results) r.child.kill('SIGKILL');
  await Promise.all(results.map((r) => r.exited));
  return results;
}

async function stopAll(write, ids) {
  await pool(ids.length, 16, (i) => write.post('/apis/envs/sandbox/v1/stop', { sandbox_id: ids[i] }));
}

async function main() {
  console.log(`local create benchmark: ${machine()}; concurrent=${concurrent}, sequential n=${n}; load ${loadAverage()}`);
  const plane = new BenchPlane('lcreate', { runtime: 'local', env: { ROCK_WORKER_CONCURRENCY: String(concurrent) } });
  let rows;
  let failures;
  try {
    const write = await plane.startService('write');
    const seqIds = Array.from({ length: n }, (_, i) => `seq-${i}`);
    const seq = [];
    for (const id of seqIds) seq.push(await timedCreate(plane, write, id));
    await stopAll(write, seqIds);
    const raw = await rawRocklets();
    const ids = Array.from({ length: concurrent }, (_, i) => `burst-${i}`);
    const burst = await pool(concurrent, concurrent, (i) => timedCreate(plane, write, ids[i]));
    await stopAll(write, ids);
    // The baseline again after the burst, so a change of the shared host's load shows.
    const rawAfter = await rawRocklets();
    failures = [...seq, ...burst].filter((r) => !r.ok).map((r) => r.error);
    const okMs = (rs) => rs.filter((r) => r.ok).map((r) => r.ms);
    rows = [
      summarize('sequential: POST /start -> running', okMs(seq)),
      summarize(`${concurrent} concurrent: rocklet processes -> ready (baseline)`, okMs(raw)),
      summarize(`${concurrent} concurrent: POST /start -> running`, okMs(burst)),
      summarize(`${concurrent} concurrent: rocklet processes -> ready (baseline, after)`, okMs(rawAfter)),
    ];
    rows[3].success = `${rawAfter.filter((r) => r.ok).length}/${concurrent}`;
    rows[2].success = `${burst.filter((r) => r.ok).length}/${concurrent}`;
    rows[1].success = `${raw.filter((r) => r.ok).length}/${concurrent}`;
  } finally {
    await plane.cleanup();
  }
  printTable('create -> ready (local runtime)', rows);
  const burstRow = rows[2];
  const verdicts = [
    `success: ${burstRow.success} service creates, ${rows[1].success} raw rocklets -> target 100 % ${failures.length === 0 ? 'MET' : 'NOT MET'}`,
    `${concurrent} concurrent p50 ${burstRow.p50.toFixed(1)} ms (${(burstRow.p50 / rows[1].p50).toFixed(2)}x / ${(burstRow.p50 / rows[3].p50).toFixed(2)}x raw rocklet p50 before/after ${rows[1].p50.toFixed(1)} / ${rows[3].p50.toFixed(1)} ms) -> target p50 <= 100 ms ${burstRow.p50 <= 100 ? 'MET' : 'NOT MET'}`,
    `sequential p50 ${rows[0].p50.toFixed(1)} ms -> ${rows[0].p50 <= 100 ? 'within' : 'above'} 100 ms`,
  ];
  if (failures.length > 0) console.log(`failures (first 5):\n${failures.slice(0, 5).join('\n')}`);
  console.log(`\n${verdicts.join('\n')}\nload after: ${loadAverage()}`);
  console.log(`recorded ${record('control-plane-local-create', { rows, verdicts, failures: failures.slice(0, 20) })}`);
}

await main();
