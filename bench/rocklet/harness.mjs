// Benchmark harness: timing, percentiles, a fixed-width report and a JSON record in bench/out/.
// Uses the dist build of the test helpers (node scripts/build.mjs) so benchmarks run plain node.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** The compiled @rock/testing helpers; a clear error when the build has not run. */
export function testing() {
  try {
    return require(join(ROOT, 'dist', 'test', 'support', 'index.js'));
  } catch (err) {
    throw new Error(`dist/test/support is missing or broken: run \`make build\` first (${err.message})`, { cause: err });
  }
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Summary of millisecond samples. */
export function summarize(name, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
  return { name, n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), min: sorted[0], max: sorted.at(-1), mean };
}

/** Runs `fn` `warmup` times untimed, then `n` times timed (ms, high resolution). */
export async function measure(fn, { n, warmup = 0 }) {
  for (let i = 0; i < warmup; i += 1) await fn(i);
  const samples = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return samples;
}

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2).padStart(9) : '      n/a');

export function printTable(title, rows) {
  console.log(`\n${title}`);
  console.log(`${'case'.padEnd(52)} ${'n'.padStart(5)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'min ms'.padStart(9)} ${'mean ms'.padStart(9)}`);
  for (const r of rows) console.log(`${r.name.padEnd(52)} ${String(r.n).padStart(5)} ${fmt(r.p50)} ${fmt(r.p99)} ${fmt(r.min)} ${fmt(r.mean)}`);
}

export function machine() {
  const cpus = os.cpus();
  return `${os.hostname()}: ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, node ${process.version}`;
}

/** Writes bench/out/<name>.json (ignored by git) and returns its path. */
export function record(name, data) {
  const dir = join(ROOT, 'bench', 'out');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), ...data }, null, 2)}\n`);
  return file;
}

/** Integer option from argv (`--n 200`), for quick runs. */
export function intArg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

export function stringArg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** user+system CPU time of a process so far, ms (/proc/<pid>/stat fields 14 and 15, clock ticks of 10 ms). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Polls `url` every 2 ms until it answers 200; each try may take `tryMs`, all of them `deadlineMs`.
 * `init` is passed to fetch (method, headers).
 */
export async function firstAnswer(url, { init = {}, deadlineMs = 15_000, tryMs = 1_000 } = {}) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(tryMs) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`${url} did not answer within ${deadlineMs} ms`);
}
