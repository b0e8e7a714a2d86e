// Round trip of a trivial command straight to rocklet in a Docker container (run_in_session and
// execute of `true`, over keep-alive HTTP on the bridge IP) against `docker exec <c> true`, in the
// same run on the same container. Target: rocklet p50 <= 1/10 of docker exec p50.
// Usage: node bench/rocklet/exec.bench.mjs [--n 300] [--docker-n 40] [--image rock-test-bash:latest]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { intArg, machine, measure, printTable, record, stringArg, summarize, testing } from './harness.mjs';

const run = promisify(execFile);
const t = testing();
const image = stringArg('image', t.TEST_IMAGES.bash);
const n = intArg('n', 300);
const dockerN = intArg('docker-n', 40);
const runLabel = t.uniqueTestLabel('bench-exec');

async function ok(answer, what) {
  const { status, body } = await answer;
  if (status !== 200) throw new Error(`${what}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

async function rockletCases(rocklet) {
  const cases = [];
  cases.push(summarize('rocklet GET /is_alive (HTTP floor)', await measure(() => ok(rocklet.get('/is_alive'), 'is_alive'), { n, warmup: 20 })));
  const execute = async () => {
    const body = await ok(rocklet.post('/execute', { command: ['true'] }), 'execute');
    if (body.exit_code !== 0) throw new Error(`execute true: ${JSON.stringify(body)}`);
  };
  cases.push(summarize('rocklet POST /execute ["true"]', await measure(execute, { n, warmup: 20 })));
  await ok(rocklet.post('/create_session', { session: 'bench', session_type: 'bash' }), 'create_session');
  const inSession = async () => {
    const body = await ok(rocklet.post('/run_in_session', { session: 'bench', command: 'true', action_type: 'bash' }), 'run_in_session');
    if (body.exit_code !== 0) throw new Error(`run_in_session true: ${JSON.stringify(body)}`);
  };
  cases.push(summarize('rocklet POST /run_in_session "true"', await measure(inSession, { n, warmup: 20 })));
  return cases;
}

async function dockerCases(id) {
  const cli = () => run('docker', ['exec', id, 'true'], { timeout: 30_000 });
  const api = async () => {
    const exec = await t.dockerForTests().getContainer(id).exec({ Cmd: ['true'], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    await new Promise((resolve, reject) => { stream.on('end', resolve); stream.on('error', reject); stream.resume(); });
    const info = await exec.inspect();
    if (info.ExitCode !== 0) throw new Error(`docker exec true exited ${info.ExitCode}`);
  };
  return [
    summarize('docker exec <c> true (CLI)', await measure(cli, { n: dockerN, warmup: 3 })),
    summarize('docker exec true (Engine API, dockerode)', await measure(api, { n: dockerN, warmup: 3 })),
  ];
}

async function main() {
  console.log(`exec benchmark: ${machine()}; image ${image}; n=${n}, docker n=${dockerN}`);
  const rocklet = await t.startRockletContainer({ image, runLabel });
  try {
    const rows = [...(await rockletCases(rocklet)), ...(await dockerCases(rocklet.id))];
    printTable('round trip of `true`', rows);
    const baseline = rows.find((r) => r.name.startsWith('docker exec <c>'));
    const verdicts = rows.filter((r) => r.name.startsWith('rocklet POST')).map((r) => {
      const ratio = baseline.p50 / r.p50;
      return `${r.name}: p50 ${r.p50.toFixed(2)} ms = 1/${ratio.toFixed(1)} of docker exec CLI p50 ${baseline.p50.toFixed(2)} ms -> target (<= 1/10) ${ratio >= 10 ? 'MET' : 'NOT MET'}`;
    });
    console.log(`\n${verdicts.join('\n')}`);
    console.log(`recorded ${record('exec', { image, rows, verdicts })}`);
  } finally {
    await rocklet.remove();
    await t.removeTestContainers(runLabel);
  }
}

await main();
