// Rocklet start-up on the host: from spawn to the first /is_alive answer, for the swc build
// (`node dist/services/rocklet/src/main.js`) and the bundle (dist/rocklet-runtime/bin/rocklet),
// plus the rocklet's CPU time (user + system) at that moment, which a busy machine barely moves,
// and spawn -> the first authenticated answer (POST /close), i.e. when the whole app serves.
// Usage: node bench/rocklet/startup.bench.mjs [--n 10] [--only dist|bundle]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpuMs, firstAnswer, intArg, machine, printTable, record, ROOT, stringArg, summarize, testing } from './harness.mjs';

const n = intArg('n', 10);
const only = stringArg('only', '');
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

const TARGETS = {
  dist: [process.execPath, join(ROOT, 'dist', 'services', 'rocklet', 'src', 'main.js')],
  bundle: [join(ROOT, 'dist', 'rocklet-runtime', 'bin', 'rocklet')],
};

async function startOnce(argv) {
  const port = await testing().freePort();
  const t0 = process.hrtime.bigint();
  const child = spawn(argv[0], [...argv.slice(1), '--host', '127.0.0.1', '--port', String(port)], {
    env: { ...process.env, ROCKLET_TOKEN: 'bench' },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await firstAnswer(`http://127.0.0.1:${port}/is_alive`, { deadlineMs: 20_000, tryMs: 5_000 });
    const alive = { wall: ms(t0), cpu: cpuMs(child.pid) };
    await firstAnswer(`http://127.0.0.1:${port}/close`, { init: { method: 'POST', headers: { authorization: 'Bearer bench' } }, deadlineMs: 20_000, tryMs: 5_000 });
    return { ...alive, served: ms(t0) };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

async function main() {
  console.log(`rocklet start-up benchmark: ${machine()}; n=${n}`);
  const rows = [];
  for (const [name, argv] of Object.entries(TARGETS)) {
    if (only && only !== name) continue;
    if (!existsSync(argv.at(-1))) throw new Error(`${argv.at(-1)} is missing: run make build rocklet-bundle`);
    await startOnce(argv);
    const wall = [];
    const cpu = [];
    const served = [];
    for (let i = 0; i < n; i += 1) {
      const r = await startOnce(argv);
      wall.push(r.wall);
      cpu.push(r.cpu);
      served.push(r.served);
    }
    rows.push(
      summarize(`${name}: spawn -> /is_alive`, wall),
      summarize(`${name}: rocklet CPU until /is_alive`, cpu),
      summarize(`${name}: spawn -> first POST /close answer`, served),
    );
  }
  printTable('rocklet spawn -> /is_alive (host, no container)', rows);
  console.log(`recorded ${record('startup', { rows })}`);
}

await main();
