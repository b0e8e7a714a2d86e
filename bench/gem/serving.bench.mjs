// GEM serving through the control plane (bare-JSON routes under /apis/v1/envs/gem):
//  - `step` round trip through the read service vs straight to the sandbox's rocklet (/env/step);
//  - steps per second across 50 concurrent envs (closed loop, one caller per env), through the read
//    service vs straight to the rocklets;
//  - `make` latency (write service: creates a sandbox and makes the env in it) on the local and the
//    docker runtimes, against plain sandbox creation (POST /start) on the same runtime.
// Every answer is checked; an episode that ends is reset (resets are counted, not timed as steps).
// Targets: step p50 <= 2 ms; >= 5,000 steps/s across 50 envs.
// Usage: node bench/gem/serving.bench.mjs [--env game:Game2048-v0-easy] [--n 500] [--envs 50] [--seconds 15] [--make-n 10]
import { intArg, machine, printTable, record, stringArg, summarize } from '../rocklet/harness.mjs';
import { BenchPlane, expectSuccess, GEM_API, httpJson, loadAverage, pool, rockletOf, withCpu } from '../control-plane/plane.mjs';

const envId = stringArg('env', 'game:Game2048-v0-easy');
const n = intArg('n', 500);
const envCount = intArg('envs', 50);
const seconds = intArg('seconds', 15);
const makeN = intArg('make-n', 10);
const ACTIONS = ['\\boxed{up}', '\\boxed{left}', '\\boxed{down}', '\\boxed{right}'];

function ok(answer, what) {
  if (answer.status !== 200) throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer.body;
}

/** Step and reset through one transport (read service or straight to the rocklet) for one env. */
function player(call, sandboxId) {
  let turn = 0;
  let resets = 0;
  const reset = async () => {
    resets += 1;
    ok(await call('reset', { sandbox_id: sandboxId, seed: resets }), 'reset');
  };
  const step = async () => {
    turn += 1;
    const body = ok(await call('step', { sandbox_id: sandboxId, action: ACTIONS[turn % ACTIONS.length] }), 'step');
    if (typeof body.observation !== 'string' || typeof body.reward !== 'number') throw new Error(`step answer: ${JSON.stringify(body).slice(0, 200)}`);
    return body.terminated || body.truncated;
  };
  return { reset, step, resets: () => resets };
}

function viaRead(read) {
  return (route, body) => read.post(`${GEM_API}/${route}`, body);
}

function viaRocklet(rocklet) {
  return (route, body) => httpJson(`${rocklet.url}/env/${route}`, { method: 'POST', body, headers: { authorization: `Bearer ${rocklet.token}` } });
}

async function stepLatency(name, p) {
  await p.reset();
  const samples = [];
  for (let i = 0; i < n + 20; i += 1) {
    const t0 = process.hrtime.bigint();
    const ended = await p.step();
    if (i >= 20) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (ended) await p.reset(); // outside the timed call
  }
  return summarize(name, samples);
}

async function stepThroughput(name, players) {
  await Promise.all(players.map((p) => p.reset()));
  const latencies = [];
  const deadline = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(players.map(async (p) => {
    while (Date.now() < deadline) {
      const s = process.hrtime.bigint();
      const ended = await p.step();
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (ended) await p.reset();
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const resets = players.reduce((sum, p) => sum + p.resets(), 0);
  return { ...summarize(name, latencies), perSecond: latencies.length / elapsed, resets };
}

async function makeEnv(write) {
  const t0 = process.hrtime.bigint();
  const answer = ok(await write.post(`${GEM_API}/make`, { env_id: envId }, 300_000), 'make');
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, id: answer.sandbox_id };
}

/** `make` vs plain POST /start on one runtime, sequential, interleaved; every env closed. */
async function makeLatency(plane, write, runtime) {
  const make = [];
  const start = [];
  for (let i = 0; i < makeN; i += 1) {
    const made = await makeEnv(write);
    plane.created.add(made.id);
    make.push(made.ms);
    ok(await write.post(`${GEM_API}/close`, { sandbox_id: made.id }), 'close');
    const { ms, answer } = await plane.startSandbox(write, { image: plane.image, sandbox_id: `start-${i}`, memory: '128m', cpus: 0.2 });
    expectSuccess(answer, `start start-${i}`);
    start.push(ms);
    expectSuccess(await write.post('/apis/envs/sandbox/v1/stop', { sandbox_id: `start-${i}` }), 'stop');
  }
  return [summarize(`${runtime}: POST /start -> running (baseline)`, start), summarize(`${runtime}: gem make ${envId}`, make)];
}

async function localRun() {
  const plane = new BenchPlane('gem-local', { runtime: 'local', env: { ROCK_WORKER_CONCURRENCY: '16' } });
  plane.image = 'local';
  try {
    const write = await plane.startService('write');
    const read = await plane.startService('read');
    const makeRows = await makeLatency(plane, write, 'local');
    const made = await pool(envCount, 10, () => makeEnv(write));
    made.forEach((m) => plane.created.add(m.id));
    const rocklets = await Promise.all(made.map((m) => rockletOf(plane, m.id)));
    const latency = [
      await stepLatency('step straight to rocklet /env/step (baseline)', player(viaRocklet(rocklets[0]), made[0].id)),
      await stepLatency('step through the read service', player(viaRead(read), made[0].id)),
    ];
    const throughput = [
      await stepThroughput(`${envCount} envs straight to rocklets (baseline)`, made.map((m, i) => player(viaRocklet(rocklets[i]), m.id))),
    ];
    const { result: through, cpuMs } = await withCpu([read.child.pid], () => stepThroughput(`${envCount} envs through the read service`, made.map((m) => player(viaRead(read), m.id))));
    through.readCpuMsPerStep = cpuMs / through.n;
    throughput.push(through);
    await pool(made.length, 8, async (i) => ok(await write.post(`${GEM_API}/close`, { sandbox_id: made[i].id }), 'close'));
    return { makeRows, latency, throughput };
  } finally {
    await plane.cleanup();
  }
}

async function dockerRun() {
  const plane = new BenchPlane('gem-docker', { runtime: 'docker' });
  plane.image = plane.env('write', 0).ROCK_GEM_IMAGE;
  try {
    const write = await plane.startService('write');
    return await makeLatency(plane, write, 'docker');
  } finally {
    await plane.cleanup();
  }
}

async function main() {
  console.log(`GEM serving benchmark: ${machine()}; env ${envId}; n=${n}, envs=${envCount}, ${seconds} s, make n=${makeN}; load ${loadAverage()}`);
  const local = await localRun();
  const dockerMake = await dockerRun();
  printTable('GEM step round trip (local runtime sandbox)', local.latency);
  printTable(`GEM steps across ${envCount} concurrent envs (local runtime)`, local.throughput);
  printTable('GEM make latency', [...local.makeRows, ...dockerMake]);
  const [directStep, readStep] = local.latency;
  const [directTp, readTp] = local.throughput;
  const verdicts = [
    `step p50 through the read service ${readStep.p50.toFixed(2)} ms (${(readStep.p50 / directStep.p50).toFixed(2)}x straight to rocklet ${directStep.p50.toFixed(2)} ms) -> target <= 2 ms ${readStep.p50 <= 2 ? 'MET' : 'NOT MET'}`,
    `steps/s across ${envCount} envs through the read service ${readTp.perSecond.toFixed(0)} (${(readTp.perSecond / directTp.perSecond).toFixed(2)}x straight to rocklets ${directTp.perSecond.toFixed(0)}; resets ${readTp.resets}/${directTp.resets}; read-service CPU ${readTp.readCpuMsPerStep.toFixed(2)} ms per step) -> target >= 5000/s ${readTp.perSecond >= 5000 ? 'MET' : 'NOT MET'}`,
    ...[[local.makeRows, 'local'], [dockerMake, 'docker']].map(([rows, rt]) => `${rt}: make p50 ${rows[1].p50.toFixed(1)} ms = ${(rows[1].p50 / rows[0].p50).toFixed(2)}x plain create p50 ${rows[0].p50.toFixed(1)} ms`),
  ];
  console.log(`\n${verdicts.join('\n')}\nload after: ${loadAverage()}`);
  console.log(`recorded ${record('gem-serving', { envId, local, dockerMake, verdicts })}`);
}

await main();
