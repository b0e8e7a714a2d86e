import { createInterface } from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import { listEnvs, make } from '../rock-env';
import { printJson } from './output';
import type { GlobalFlags } from './sandbox.command';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
}

/** Plays one episode: observation on stdout, one action per stdin line, until the episode ends or stdin does. */
async function play(globals: GlobalFlags, envId: string, flags: { seed?: number; json?: boolean }): Promise<void> {
  const env = await make(envId, { baseUrl: globals.baseUrl, apiKey: globals.apiKey });
  const interactive = Boolean(process.stdin.isTTY);
  const lines = createInterface({ input: process.stdin, output: interactive ? process.stderr : undefined, prompt: 'action> ' });
  // Take the iterator now: lines read while reset() is in flight are buffered, not dropped.
  const actions = lines[Symbol.asyncIterator]();
  const show = (value: Record<string, unknown>, text: string): void => {
    if (flags.json) process.stdout.write(`${JSON.stringify(value)}\n`);
    else process.stdout.write(`${text}\n`);
  };
  try {
    const [observation, info] = await env.reset(flags.seed);
    show({ observation, info }, observation);
    let total = 0;
    if (interactive) lines.prompt();
    for (let next = await actions.next(); !next.done; next = await actions.next()) {
      const action = next.value;
      const [observed, reward, terminated, truncated, stepInfo] = await env.step(action);
      total += reward;
      show({ observation: observed, reward, terminated, truncated, info: stepInfo }, `${observed}\nreward ${reward}${terminated ? ' (terminated)' : ''}${truncated ? ' (truncated)' : ''}`);
      if (terminated || truncated) {
        if (!flags.json) process.stdout.write(`episode over, total reward ${total}\n`);
        break;
      }
      if (interactive) lines.prompt();
    }
  } finally {
    lines.close();
    await env.close();
  }
}

/** `rock gem …`. */
export function gemCommand(globals: () => GlobalFlags): Command {
  const gem = new Command('gem').description('GEM game environments');
  gem
    .command('list')
    .description('list environment ids')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const ids = await listEnvs({ baseUrl: globals().baseUrl, apiKey: globals().apiKey });
      if (flags.json) printJson({ env_id: ids });
      else process.stdout.write(`${ids.join('\n')}\n`);
    });
  gem
    .command('play <env-id>')
    .description('play one episode: prints observations, reads one action per line from stdin')
    .option('--seed <n>', 'reset seed', integer)
    .option('--json', 'one JSON object per observation')
    .action((envId: string, flags: { seed?: number; json?: boolean }) => play(globals(), envId, flags));
  return gem;
}
