// Time of `reset(seed)` for game:Sokoban-v0-hard (8×8, 4 boxes) over seeds 0..n-1, against the
// Python reference's ≈1.9 s per level. Target: median ≥ 10× faster. Each timed reset is also
// checked against GEM's golden reset sweep, so a fast but wrong generator fails the benchmark.
// Usage: node bench/gem/sokoban-reset.bench.mjs [--n 50] [--env game:Sokoban-v0-hard] [--golden ../shared/gem-golden]
// Needs the dist build (`node scripts/build.mjs`).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const PYTHON_SECONDS_PER_LEVEL = 1.9;
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const n = Number(arg('n', '50'));
const envId = arg('env', 'game:Sokoban-v0-hard');
const golden = arg('golden', join(root, '../shared/gem-golden'));
const entry = join(root, 'dist/libs/gem/src/envs/sokoban/index.js');
if (!existsSync(entry)) {
  console.error('bench: dist/ is missing: run node scripts/build.mjs');
  process.exit(1);
}
const { registrations } = require(entry);
const reg = registrations.find((r) => r.id === envId);
if (!reg) throw new Error(`unknown env id ${envId}`);

const variant = envId.replace(/^game:/, '');
const goldenFile = join(golden, `resets/${variant}.jsonl`);
const expected = new Map();
if (existsSync(goldenFile)) {
  for (const line of readFileSync(goldenFile, 'utf8').split('\n')) {
    if (line) {
      const r = JSON.parse(line);
      expected.set(r.seed, r.reset);
    }
  }
} else {
  console.warn(`bench: ${goldenFile} not found; levels are timed but not checked`);
}

const env = reg.create({ ...reg.kwargs }, {});
env.reset(1000); // warm-up (JIT) on a seed outside the timed range
const times = [];
let checked = 0;
for (let seed = 0; seed < n; seed++) {
  const t0 = process.hrtime.bigint();
  const [obs, info] = env.reset(seed);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  const want = expected.get(seed);
  if (want) {
    if (obs !== want.observation || info.suffix !== want.info.suffix) throw new Error(`seed ${seed}: level differs from GEM`);
    checked++;
  }
}

const sorted = [...times].sort((a, b) => a - b);
const pick = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
const result = {
  date: new Date().toISOString(),
  machine: `${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
  env: envId,
  seeds: `0..${n - 1}`,
  checkedAgainstGolden: checked,
  medianMs: median,
  p99Ms: pick(0.99),
  meanMs: times.reduce((a, b) => a + b, 0) / n,
  maxMs: sorted[sorted.length - 1],
  speedupVsPythonMedian: (PYTHON_SECONDS_PER_LEVEL * 1000) / median,
  speedupVsPythonMean: (PYTHON_SECONDS_PER_LEVEL * 1000) / (times.reduce((a, b) => a + b, 0) / n),
};
console.log(
  `${envId} reset over seeds ${result.seeds} (${checked} checked against GEM): median ${median.toFixed(2)} ms, ` +
    `p99 ${result.p99Ms.toFixed(2)} ms, mean ${result.meanMs.toFixed(2)} ms, max ${result.maxMs.toFixed(2)} ms; ` +
    `${result.speedupVsPythonMedian.toFixed(0)}× faster than Python's ${PYTHON_SECONDS_PER_LEVEL} s (median), ` +
    `${result.speedupVsPythonMean.toFixed(0)}× (mean)`,
);
mkdirSync(join(root, 'bench/out'), { recursive: true });
writeFileSync(join(root, 'bench/out/sokoban-reset.json'), `${JSON.stringify(result, null, 2)}\n`);
