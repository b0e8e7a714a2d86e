// Throughput: run_in_session("true") calls per second across 20 sandboxes (docker runtime) through 2
// read replicas (separate processes), closed loop with a fixed number of callers per sandbox, each
// caller alternating replicas; baseline in the same run: the same load straight to the rocklets.
// Every answer is checked (Success, exit_code 0); a failed call counts as an error, not a call.
// Usage: node bench/control-plane/throughput.bench.mjs [--sandboxes 20] [--callers 2] [--seconds 15]
import { intArg, machine, printTable, record, stringArg, summarize, testing } from '../rocklet/harness.mjs';
import { BenchPlane, expectSuccess, httpJson, loadAverage, pool, rockletOf, SANDBOX_API, withCpu } from './plane.mjs';

const t = testing();
const image = stringArg('image', t.TEST_IMAGES.busybox);
const sandboxes = intArg('sandboxes', 20);
const callers = intArg('callers', 2);
const seconds = intArg('seconds', 15);

/** Runs `call(sandboxIndex, callerIndex)` in a closed loop for `seconds`; returns rate and latencies. */
async function closedLoop(name, call) {
  const latencies = [];
  let errors = 0;
  let firstError = null;
  const deadline = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  const loop = async (s, c) => {
    while (Date.now() < deadline) {
      const start = process.hrtime.bigint();
      try {
        await call(s, c);
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      } catch (err) {
        errors += 1;
        firstError ??= String(err);
      }
    }
  };
  const loops = [];
  for (let s = 0; s < sandboxes; s += 1) for (let c = 0; c < callers; c += 1) loops.push(loop(s, c));
  await Promise.all(loops);
  const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
  return { ...summarize(name, latencies), perSecond: latencies.length / elapsedS, errors, firstError };
}

function session(s, c) {
  return `tp-${c}`;
}

async function main() {
  console.log(`throughput benchmark: ${machine()}; ${sandboxes} sandboxes x ${callers} callers, ${seconds} s per case; load ${loadAverage()}`);
  const plane = new BenchPlane('tput', { runtime: 'docker', env: { ROCK_WORKER_CONCURRENCY: '20' } });
  let rows;
  try {
    const write = await plane.startService('write');
    const replicas = [await plane.startService('read'), await plane.startService('read')];
    const ids = Array.from({ length: sandboxes }, (_, i) => `tp-${i}`);
    await pool(sandboxes, 10, async (i) => {
      const { answer } = await plane.startSandbox(write, { image, sandbox_id: ids[i], memory: '128m', cpus: 0.2 });
      expectSuccess(answer, `start ${ids[i]}`);
    });
    const rocklets = await Promise.all(ids.map((id) => rockletOf(plane, id)));
    for (const [i, id] of ids.entries()) {
      for (let c = 0; c < callers; c += 1) {
        const r = replicas[c % 2];
        expectSuccess(await r.post(`${SANDBOX_API}/create_session`, { sandbox_id: id, session: session(i, c), session_type: 'bash' }), 'create_session');
        const direct = await httpJson(`${rocklets[i].url}/create_session`, {
          method: 'POST', body: { session: `d-${c}`, session_type: 'bash' }, headers: { authorization: `Bearer ${rocklets[i].token}` },
        });
        if (direct.status !== 200) throw new Error(`direct create_session: ${direct.status} ${JSON.stringify(direct.body)}`);
      }
    }
    let turn = 0;
    const viaRead = async (s, c) => {
      turn += 1;
      const body = { sandbox_id: ids[s], session: session(s, c), command: 'true', action_type: 'bash' };
      const result = expectSuccess(await replicas[turn % 2].post(`${SANDBOX_API}/run_in_session`, body), 'run_in_session');
      if (result.exit_code !== 0) throw new Error(`run_in_session: ${JSON.stringify(result)}`);
    };
    const direct = async (s, c) => {
      const answer = await httpJson(`${rocklets[s].url}/run_in_session`, {
        method: 'POST', body: { session: `d-${c}`, command: 'true', action_type: 'bash' }, headers: { authorization: `Bearer ${rocklets[s].token}` },
      });
      if (answer.status !== 200 || answer.body.exit_code !== 0) throw new Error(`direct run_in_session: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
    };
    const baseline = await closedLoop(`straight to ${sandboxes} rocklets (baseline)`, direct);
    const pids = replicas.map((r) => r.child.pid);
    const { result: through, cpuMs } = await withCpu(pids, () => closedLoop(`through 2 read replicas`, viaRead));
    through.readCpuMsPerCall = cpuMs / through.n;
    rows = [baseline, through];
  } finally {
    await plane.cleanup();
  }
  printTable(`run_in_session "true", ${sandboxes} sandboxes x ${callers} callers`, rows);
  for (const r of rows) console.log(`${r.name}: ${r.perSecond.toFixed(0)} calls/s, ${r.errors} errors${r.firstError ? ` (first: ${r.firstError})` : ''}`);
  const verdict =
    `through 2 read replicas: ${rows[1].perSecond.toFixed(0)} calls/s = ${(rows[1].perSecond / rows[0].perSecond).toFixed(2)}x of straight to the rocklets (${rows[0].perSecond.toFixed(0)} calls/s); ` +
    `read-replica CPU ${rows[1].readCpuMsPerCall.toFixed(2)} ms per call (both replicas together)`;
  console.log(`\n${verdict}\nload after: ${loadAverage()}`);
  console.log(`recorded ${record('control-plane-throughput', { image, sandboxes, callers, seconds, rows, verdict })}`);
}

await main();
