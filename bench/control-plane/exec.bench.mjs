// Exec round trip through the control plane: `execute ["true"]` and `run_in_session "true"` through
// the read service (docker runtime, sandbox created by the write service), against the same calls
// straight to the sandbox's rocklet (URL and token from the registry record) and `docker exec <c>
// true`, all in the same run on the same sandbox. Targets: read-service p50 <= 3 ms and <= 1/10 of
// docker exec p50.
// Usage: node bench/control-plane/exec.bench.mjs [--n 300] [--docker-n 40] [--image rock-test-bash:latest]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { intArg, machine, measure, printTable, record, stringArg, summarize, testing } from '../rocklet/harness.mjs';
import { BenchPlane, expectSuccess, httpJson, loadAverage, rockletOf, SANDBOX_API, withCpu } from './plane.mjs';

const run = promisify(execFile);
const t = testing();
const image = stringArg('image', t.TEST_IMAGES.bash);
const n = intArg('n', 300);
const dockerN = intArg('docker-n', 40);

function expectZero(result, what) {
  if (result?.exit_code !== 0) throw new Error(`${what}: ${JSON.stringify(result).slice(0, 300)}`);
}

async function readCases(read, id) {
  const execute = async () => expectZero(expectSuccess(await read.post(`${SANDBOX_API}/execute`, { sandbox_id: id, command: ['true'] }), 'execute'), 'execute');
  expectSuccess(await read.post(`${SANDBOX_API}/create_session`, { sandbox_id: id, session: 'bench', session_type: 'bash' }), 'create_session');
  const inSession = async () =>
    expectZero(
      expectSuccess(await read.post(`${SANDBOX_API}/run_in_session`, { sandbox_id: id, session: 'bench', command: 'true', action_type: 'bash' }), 'run_in_session'),
      'run_in_session',
    );
  const alive = async () => {
    const answer = await read.get(`${SANDBOX_API}/is_alive?sandbox_id=${id}`);
    if (expectSuccess(answer, 'is_alive').is_alive !== true) throw new Error(`is_alive: ${JSON.stringify(answer.body)}`);
  };
  // CPU the read process spends per call (load-independent, unlike wall time on a shared host).
  const timed = async (name, fn) => {
    const { result, cpuMs } = await withCpu([read.child.pid], () => measure(fn, { n, warmup: 20 }));
    return { ...summarize(name, result), readCpuMsPerCall: cpuMs / (n + 20) };
  };
  return [
    await timed('read service GET /is_alive (registry + rocklet)', alive),
    await timed('read service POST /execute ["true"]', execute),
    await timed('read service POST /run_in_session "true"', inSession),
  ];
}

async function directCases(rocklet) {
  const post = async (path, body) => {
    const answer = await httpJson(`${rocklet.url}${path}`, { method: 'POST', body, headers: { authorization: `Bearer ${rocklet.token}` } });
    if (answer.status !== 200) throw new Error(`rocklet ${path}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer.body;
  };
  await post('/create_session', { session: 'direct', session_type: 'bash' });
  return [
    summarize('rocklet direct GET /is_alive (HTTP floor)', await measure(async () => httpJson(`${rocklet.url}/is_alive`), { n, warmup: 20 })),
    summarize('rocklet direct POST /execute ["true"]', await measure(async () => expectZero(await post('/execute', { command: ['true'] }), 'execute'), { n, warmup: 20 })),
    summarize(
      'rocklet direct POST /run_in_session "true"',
      await measure(async () => expectZero(await post('/run_in_session', { session: 'direct', command: 'true', action_type: 'bash' }), 'run_in_session'), { n, warmup: 20 }),
    ),
  ];
}

async function dockerCases(containerId) {
  const cli = () => run('docker', ['exec', containerId, 'true'], { timeout: 60_000 });
  return [summarize('docker exec <c> true (CLI) - baseline', await measure(cli, { n: dockerN, warmup: 3 }))];
}

async function main() {
  console.log(`control-plane exec benchmark: ${machine()}; image ${image}; n=${n}, docker n=${dockerN}; load ${loadAverage()}`);
  const plane = new BenchPlane('exec', { runtime: 'docker' });
  let rows;
  try {
    const write = await plane.startService('write');
    const read = await plane.startService('read');
    const id = 'exec-0';
    const { answer } = await plane.startSandbox(write, { image, sandbox_id: id, memory: '256m', cpus: 1 });
    expectSuccess(answer, `start ${id}`);
    const rocklet = await rockletOf(plane, id);
    const containers = await plane.containers();
    rows = [...(await readCases(read, id)), ...(await directCases(rocklet)), ...(await dockerCases(containers[0]))];
  } finally {
    await plane.cleanup();
  }
  printTable('round trip of `true` (docker runtime)', rows);
  const docker = rows.at(-1);
  const verdicts = rows.filter((r) => r.name.startsWith('read service POST')).map((r) => {
    const ratio = docker.p50 / r.p50;
    return `${r.name}: p50 ${r.p50.toFixed(2)} ms -> target <= 3 ms ${r.p50 <= 3 ? 'MET' : 'NOT MET'}; 1/${ratio.toFixed(1)} of docker exec p50 ${docker.p50.toFixed(1)} ms -> target <= 1/10 ${ratio >= 10 ? 'MET' : 'NOT MET'}`;
  });
  for (const r of rows.filter((row) => row.readCpuMsPerCall !== undefined)) console.log(`${r.name}: read-service CPU ${r.readCpuMsPerCall.toFixed(2)} ms per call`);
  console.log(`\n${verdicts.join('\n')}\nload after: ${loadAverage()}`);
  console.log(`recorded ${record('control-plane-exec', { image, rows, verdicts })}`);
}

await main();
