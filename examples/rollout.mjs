#!/usr/bin/env node
// Rollout: start N sandboxes at once (default 20), run a small "episode" in each, collect the
// results, stop them all. Server: ROCK_BASE_URL (default http://127.0.0.1:8080, i.e. `make run`).
//   node examples/rollout.mjs [--size 20] [--image rock-test-bash:latest]
import { SandboxGroup } from '@rock/client';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '20' }, image: { type: 'string', default: 'rock-test-bash:latest' }, concurrency: { type: 'string', default: '10' } },
});
const size = Number(values.size);
const group = new SandboxGroup({ image: values.image, size, concurrency: Number(values.concurrency), retries: 1, memory: '512m', cpus: 0.5, metadata: { example: 'rollout' } });

const started = Date.now();
try {
  const sandboxes = await group.start();
  console.log(`started ${sandboxes.length} sandboxes in ${Date.now() - started} ms`);
  const results = await Promise.all(
    sandboxes.map(async (sandbox, worker) => {
      // One persistent session per sandbox: state carries over between steps, like an agent's shell.
      await sandbox.createSession({ session: 'agent' });
      await sandbox.runInSession({ session: 'agent', command: `export WORKER=${worker}; cd /tmp` });
      const step = await sandbox.runInSession({ session: 'agent', command: 'echo $((WORKER * WORKER)) $PWD' });
      // Per-worker file name: on the `local` runtime sandboxes share the host filesystem.
      const file = await sandbox.arun('echo reward-$WORKER > reward-$WORKER.txt; cat reward-$WORKER.txt', { session: 'agent' });
      return { worker, sandboxId: sandbox.sandboxId, step: step.output, file: file.output };
    }),
  );
  for (const r of results) console.log(`worker ${String(r.worker).padStart(2)} ${r.sandboxId}: ${r.step} | ${r.file}`);
  const correct = results.filter((r) => r.step === `${r.worker * r.worker} /tmp` && r.file === `reward-${r.worker}`).length;
  console.log(`rollout done: ${correct}/${size} workers correct in ${Date.now() - started} ms`);
  if (correct !== size) process.exitCode = 1;
} finally {
  await group.stop();
  console.log('all sandboxes stopped');
}
