// Rocklet readiness: from `docker run -d` (bundle bind-mounted, exec-form loader command) to the
// first /is_alive answer on the bridge IP, against `docker run --rm <img> true` in the same run.
// Target: readiness adds < 150 ms over `docker run --rm <img> true` (p50).
// Usage: node bench/rocklet/readiness.bench.mjs [--n 20] [--image rock-test-busybox:latest]
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { cpuMs, firstAnswer, intArg, machine, printTable, record, stringArg, summarize, testing } from './harness.mjs';

const run = promisify(execFile);
const t = testing();
const n = intArg('n', 20);
const images = stringArg('image', `${t.TEST_IMAGES.busybox},${t.TEST_IMAGES.bash}`).split(',');
const runLabel = t.uniqueTestLabel('bench-ready');
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * CPU time (user + system, ms) rocklet used until it answered: the container's init (--init) is
 * State.Pid and rocklet its only child. Unlike wall time this barely moves when the machine is busy.
 */
async function rockletCpuMs(id) {
  const { State } = await t.dockerForTests().getContainer(id).inspect();
  const child = readFileSync(`/proc/${State.Pid}/task/${State.Pid}/children`, 'utf8').trim().split(/\s+/)[0];
  return cpuMs(child);
}

async function rockletOnce(image) {
  const args = ['run', '-d', '--init', '--label', `rock.test=${runLabel}`, '-e', 'ROCKLET_TOKEN=bench',
    '-v', `${t.rockletBundleDir()}:/rock:ro`, image, ...t.rockletContainerCommand()];
  const t0 = process.hrtime.bigint();
  const { stdout } = await run('docker', args, { timeout: 30_000 });
  const runReturned = ms(t0);
  const id = stdout.trim();
  try {
    const ip = await t.containerIp(id);
    await firstAnswer(`http://${ip}:22555/is_alive`, { tryMs: 500 });
    const total = ms(t0);
    return { total, afterRun: total - runReturned, cpu: await rockletCpuMs(id) };
  } finally {
    await run('docker', ['rm', '-f', id], { timeout: 30_000 });
  }
}

async function baselineOnce(image) {
  const t0 = process.hrtime.bigint();
  await run('docker', ['run', '--rm', '--label', `rock.test=${runLabel}`, image, 'true'], { timeout: 30_000 });
  return ms(t0);
}

async function benchImage(image) {
  await baselineOnce(image);
  await rockletOnce(image);
  const base = [];
  const total = [];
  const afterRun = [];
  const cpu = [];
  // Interleaved so drift on the machine hits both series alike.
  for (let i = 0; i < n; i += 1) {
    base.push(await baselineOnce(image));
    const r = await rockletOnce(image);
    total.push(r.total);
    afterRun.push(r.afterRun);
    cpu.push(r.cpu);
  }
  return [
    summarize(`${image}: docker run --rm true`, base),
    summarize(`${image}: docker run -d -> /is_alive`, total),
    summarize(`${image}: run -d returned -> /is_alive`, afterRun),
    summarize(`${image}: rocklet CPU until /is_alive`, cpu),
  ];
}

async function main() {
  console.log(`readiness benchmark: ${machine()}; n=${n}`);
  const rows = [];
  const verdicts = [];
  try {
    for (const image of images) {
      const [base, total, after, cpu] = await benchImage(image);
      rows.push(base, total, after, cpu);
      const added = total.p50 - base.p50;
      // `docker run --rm true` also waits for exit and removal, so the strict measure of what rocklet
      // adds is the time from `docker run -d` returning (container started) to /is_alive.
      verdicts.push(
        `${image}: readiness p50 ${total.p50.toFixed(1)} ms vs docker run --rm true p50 ${base.p50.toFixed(1)} ms -> adds ${added.toFixed(1)} ms; ` +
          `after start: p50 ${after.p50.toFixed(1)} ms, p99 ${after.p99.toFixed(1)} ms; rocklet CPU p50 ${cpu.p50.toFixed(0)} ms; target (< 150 ms) ${Math.max(added, after.p50) < 150 ? 'MET' : 'NOT MET'}`,
      );
    }
  } finally {
    await t.removeTestContainers(runLabel);
  }
  printTable('container start -> rocklet /is_alive', rows);
  console.log(`\n${verdicts.join('\n')}`);
  console.log(`recorded ${record('readiness', { images, rows, verdicts })}`);
}

await main();
