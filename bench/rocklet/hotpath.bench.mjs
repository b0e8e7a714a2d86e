// CPU per request of a rocklet host process on its hot routes: /env/step (Game2048 and Wordle),
// /execute ["true"] and /run_in_session "true", each in a closed loop over keep-alive HTTP (undici
// Pool). Reports the rocklet's own CPU (utime+stime from /proc, so the client is not counted) per
// request, wall p50/p99 and the idle RSS right after start-up. CPU per call is the number to compare
// A/B on a shared, noisy host; wall times move with the load.
// `--fleet 50` instead starts 50 rocklets and steps Game2048 in each from its own closed loop for
// `--seconds`, without warm-up: every rocklet then sees a few hundred steps, as in a rollout across
// many sandboxes, so the mostly unoptimised (cold JIT) cost per step is what is measured.
// Usage: node bench/rocklet/hotpath.bench.mjs [--n 3000] [--warmup 3000] [--concurrency 1] [--entry dist|bundle|<path of a main.js>]
//        [--node-args "--cpu-prof --cpu-prof-dir=/tmp/prof"] [--only step2048,wordle,execute,session]
//        [--fleet 50 --seconds 8]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import os from 'node:os';
import { intArg, machine, percentile, record, ROOT, stringArg } from './harness.mjs';

const require = createRequire(import.meta.url);
const { Pool } = require('undici');

const n = intArg('n', 3000);
const concurrency = intArg('concurrency', 1);
// Enough calls for V8 to optimise the path: a window that includes JIT compilation costs ~2x.
const warmup = intArg('warmup', 3000);
const entryKind = stringArg('entry', 'dist');
const nodeArgs = stringArg('node-args', '').split(' ').filter(Boolean);
const fleet = intArg('fleet', 0);
const seconds = intArg('seconds', 8);
const only = new Set(stringArg('only', 'step2048,wordle,execute,session').split(','));

const ENTRIES = {
  dist: [join(ROOT, 'dist', 'services', 'rocklet', 'src', 'main.js')],
  bundle: [join(ROOT, 'dist', 'rocklet-runtime', 'rocklet.js')],
};

/**
 * CPU time of a process, microseconds: the sum of its threads' scheduler run time
 * (/proc/<pid>/task/<tid>/schedstat, nanoseconds), precise where utime/stime count 10 ms ticks.
 */
function cpuUs(pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1000;
}

function rssKiB(pid) {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}

function startRocklet() {
  const token = randomBytes(16).toString('hex');
  const env = { ...process.env, ROCKLET_TOKEN: token, ROCK_GEM_DATA_DIR: '/work/shared/gem-data' };
  const child = spawn(process.execPath, [...nodeArgs, ...(ENTRIES[entryKind] ?? [entryKind]), '--host', '127.0.0.1', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rocklet not ready in 20 s:\n${out}`)), 20_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /"port":(\d+),[^\n]*"msg":"rocklet ready"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, token, url: `http://127.0.0.1:${m[1]}`, logs: () => out });
      }
    });
    child.once('exit', (code) => reject(new Error(`rocklet exited ${code}:\n${out}`)));
  });
}

async function post(pool, token, path, body) {
  const res = await pool.request({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const parsed = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`${path}: HTTP ${res.statusCode} ${JSON.stringify(parsed).slice(0, 300)}`);
  return parsed;
}

/** Runs `call` n times over `concurrency` closed loops; returns wall samples and rocklet CPU. */
async function closedLoop(pid, call) {
  for (let i = 0; i < warmup; i += 1) await call(i);
  const samples = [];
  let next = 0;
  const cpu0 = cpuUs(pid);
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = (next += 1);
      const s = process.hrtime.bigint();
      await call(i);
      samples.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }));
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu1 = cpuUs(pid);
  const calls = samples.length;
  samples.sort((a, b) => a - b);
  return {
    n: calls,
    cpuUsPerCall: (cpu1 - cpu0) / calls, p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond: samples.length / wallS };
}

function gemCase(pool, token, envId, actions) {
  let turn = 0;
  let seed = 0;
  return {
    setup: async () => {
      await post(pool, token, '/env/make', { env_id: envId });
      await post(pool, token, '/env/reset', { seed });
    },
    call: async () => {
      turn += 1;
      const body = await post(pool, token, '/env/step', { action: actions[turn % actions.length] });
      if (typeof body.observation !== 'string') throw new Error(`step answer ${JSON.stringify(body).slice(0, 200)}`);
      if (body.terminated || body.truncated) await post(pool, token, '/env/reset', { seed: (seed += 1) });
    },
  };
}

function cases(pool, token) {
  const all = {
    step2048: gemCase(pool, token, 'game:Game2048-v0-easy', ['\\boxed{up}', '\\boxed{left}', '\\boxed{down}', '\\boxed{right}']),
    wordle: gemCase(pool, token, 'game:Wordle-v0-easy', ['\\boxed{cat}', '\\boxed{dog}', '\\boxed{sun}', '\\boxed{[xyz]}']),
    execute: {
      setup: async () => {},
      call: async () => {
        const body = await post(pool, token, '/execute', { command: ['true'] });
        if (body.exit_code !== 0) throw new Error(`execute: ${JSON.stringify(body)}`);
      },
    },
    session: {
      setup: () => post(pool, token, '/create_session', { session: 'bench', session_type: 'bash' }),
      call: async () => {
        const body = await post(pool, token, '/run_in_session', { session: 'bench', command: 'true', action_type: 'bash' });
        if (body.exit_code !== 0) throw new Error(`run_in_session: ${JSON.stringify(body)}`);
      },
    },
  };
  return Object.entries(all).filter(([name]) => only.has(name));
}

const loadNow = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

/** N rocklets, one Game2048 player each, closed loops for `seconds`: fleet steps/s and CPU per step. */
async function fleetRun() {
  console.log(`rocklet fleet: ${machine()}; entry ${entryKind} ${nodeArgs.join(' ')}; ${fleet} rocklets, ${seconds} s; load ${loadNow()}`);
  const rocklets = [];
  try {
    for (let i = 0; i < fleet; i += 1) rocklets.push(await startRocklet());
    const players = rocklets.map((r) => {
      const pool = new Pool(r.url, { connections: 1, keepAliveTimeout: 30_000 });
      return { r, pool, game: gemCase(pool, r.token, 'game:Game2048-v0-easy', ['\\boxed{up}', '\\boxed{left}', '\\boxed{down}', '\\boxed{right}']) };
    });
    await Promise.all(players.map((p) => p.game.setup()));
    const idleRssKiB = rocklets.reduce((sum, r) => sum + rssKiB(r.child.pid), 0) / fleet;
    const cpuOf = () => rocklets.reduce((sum, r) => sum + cpuUs(r.child.pid), 0);
    const cpu0 = cpuOf();
    const deadline = Date.now() + seconds * 1000;
    const samples = [];
    const t0 = process.hrtime.bigint();
    await Promise.all(players.map(async (p) => {
      while (Date.now() < deadline) {
        const s = process.hrtime.bigint();
        await p.game.call();
        samples.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }));
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpuUsPerStep = (cpuOf() - cpu0) / samples.length;
    samples.sort((a, b) => a - b);
    const row = { fleet, steps: samples.length, perSecond: samples.length / wallS, cpuUsPerStep, p50: percentile(samples, 50), p99: percentile(samples, 99), idleRssKiB };
    console.log(`${fleet} rocklets: ${row.perSecond.toFixed(0)} steps/s, rocklet CPU ${cpuUsPerStep.toFixed(0)} µs/step, p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms, mean idle RSS ${idleRssKiB.toFixed(0)} KiB; load ${loadNow()}`);
    console.log(`recorded ${record('rocklet-fleet', { entryKind, nodeArgs, ...row, load: os.loadavg() })}`);
    await Promise.all(players.map((p) => p.pool.close()));
  } finally {
    await Promise.all(rocklets.map((r) => new Promise((resolve) => {
      if (r.child.exitCode !== null) return resolve();
      r.child.once('exit', resolve);
      r.child.kill('SIGTERM');
    })));
  }
}

async function main() {
  console.log(`rocklet hot path: ${machine()}; entry ${entryKind} ${nodeArgs.join(' ')}; n=${n}, concurrency ${concurrency}; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const rocklet = await startRocklet();
  const pid = rocklet.child.pid;
  const pool = new Pool(rocklet.url, { connections: concurrency, keepAliveTimeout: 30_000 });
  const rows = [];
  try {
    await new Promise((r) => setTimeout(r, 300));
    const idleRssKiB = rssKiB(pid);
    for (const [name, c] of cases(pool, rocklet.token)) {
      // Session and execute work mostly happens in children; only the rocklet's own CPU is counted.
      await c.setup();
      const row = { name, ...(await closedLoop(pid, c.call)) };
      rows.push(row);
      console.log(`${name.padEnd(10)} ${String(row.n).padStart(6)}  rocklet CPU ${row.cpuUsPerCall.toFixed(0).padStart(5)} µs/call p50 ${row.p50.toFixed(3)} ms  p99 ${row.p99.toFixed(3)} ms  ${row.perSecond.toFixed(0)}/s`);
    }
    const rss = { idleRssKiB, afterRssKiB: rssKiB(pid) };
    console.log(`rocklet RSS: idle ${rss.idleRssKiB} KiB, after the run ${rss.afterRssKiB} KiB; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`recorded ${record('rocklet-hotpath', { entryKind, nodeArgs, n, concurrency, rows, rss, load: os.loadavg() })}`);
  } finally {
    await pool.close();
    rocklet.child.kill('SIGTERM');
    await new Promise((r) => rocklet.child.once('exit', r));
  }
}

await (fleet > 0 ? fleetRun() : main());
