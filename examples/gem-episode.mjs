#!/usr/bin/env node
// A GEM episode loop: make an environment, play GuessTheNumber by bisection, close it.
// Server: ROCK_BASE_URL (default http://127.0.0.1:8080, i.e. `make run`).
//   node examples/gem-episode.mjs [--env game:GuessTheNumber-v0-easy] [--seed 42] [--episodes 2]
import { make } from '@rock/client';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { env: { type: 'string', default: 'game:GuessTheNumber-v0-easy' }, seed: { type: 'string', default: '42' }, episodes: { type: 'string', default: '2' } },
});

/** A policy: keeps the interval the hints allow and guesses its middle. */
function bisection(observation) {
  const range = /between (\d+) and (\d+)/.exec(observation);
  let [lo, hi] = [Number(range[1]), Number(range[2])];
  let guess = 0;
  return {
    act() {
      guess = Math.floor((lo + hi) / 2);
      return `\\boxed{${guess}}`;
    },
    observe(text) {
      if (text.includes('higher')) lo = guess + 1;
      if (text.includes('lower')) hi = guess - 1;
    },
  };
}

const env = await make(values.env);
console.log(`made ${values.env} in sandbox ${env.sandboxId}`);
try {
  for (let episode = 0; episode < Number(values.episodes); episode += 1) {
    const [observation] = await env.reset(Number(values.seed) + episode);
    const policy = bisection(observation);
    let total = 0;
    for (let turn = 1; ; turn += 1) {
      const action = policy.act();
      const [next, reward, terminated, truncated] = await env.step(action);
      total += reward;
      policy.observe(next);
      console.log(`episode ${episode} turn ${turn}: ${action} -> ${next}`);
      if (terminated || truncated) break;
    }
    console.log(`episode ${episode} return ${total}`);
  }
} finally {
  await env.close();
  console.log('env closed');
}
