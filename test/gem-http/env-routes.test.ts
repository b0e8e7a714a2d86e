/**
 * The rocklet's /env/* routes under bad and odd input, on a real rocklet process over HTTP. The
 * expected game answers come from `@rock/gem` in-process (itself pinned to the golden transcripts),
 * so "as the reference does" is checked, not assumed. After every bad request the server still plays.
 */
import { list, make } from '@rock/gem';
import { GEM_DATA_DIR, startGemRocklet, type GemRocklet } from './gem-rocklet';

jest.setTimeout(60_000);

const GUESS = 'game:GuessTheNumber-v0-easy';

let server: GemRocklet;

beforeAll(async () => {
  server = await startGemRocklet();
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

/** Proves the process still serves a full make → reset → step after whatever came before. */
async function expectStillPlaying(): Promise<void> {
  expect((await server.post('make', { env_id: GUESS })).status).toBe(200);
  const reset = await server.post('reset', { seed: 7 });
  expect(reset.body.observation).toBe(make(GUESS).reset(7)[0]);
  expect((await server.post('step', { action: '\\boxed{3}' })).status).toBe(200);
}

/** The in-process reference answers for a seed and a list of actions. */
function referenceSteps(envId: string, seed: number, actions: string[]): Record<string, unknown>[] {
  const env = make(envId, {}, { dataDir: GEM_DATA_DIR });
  env.reset(seed);
  return actions.map((action) => {
    const [observation, reward, terminated, truncated, info] = env.step(action);
    return { observation, reward, terminated, truncated, info };
  });
}

async function play(envId: string, seed: number, actions: string[]): Promise<Record<string, unknown>[]> {
  expect((await server.post('make', { env_id: envId })).status).toBe(200);
  expect((await server.post('reset', { seed })).status).toBe(200);
  const out: Record<string, unknown>[] = [];
  for (const action of actions) {
    const answer = await server.post('step', { action });
    expect(answer.status).toBe(200);
    out.push(answer.body);
  }
  return out;
}

describe('/env/* on a fresh rocklet', () => {
  it('answers reset and step before any make with 404 and a hint to call /env/make', async () => {
    for (const [route, body] of [['reset', { seed: 1 }], ['step', { action: 'x' }]] as const) {
      const answer = await server.post(route, body);
      expect(answer.status).toBe(404);
      expect(answer.body.detail).toMatch(/no env in this sandbox: call \/env\/make first/);
    }
  });
});

describe('/env/make', () => {
  it('refuses an unknown env id with 400 naming close matches', async () => {
    const answer = await server.post('make', { env_id: 'game:Sokobn-v0-easy' });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toMatch(/Environment game:Sokobn-v0-easy not found in registry\. Did you mean: .*game:Sokoban-v0-easy/);
    await expectStillPlaying();
  });

  it('keeps the current env playing when a make fails', async () => {
    const actions = ['\\boxed{2}', '\\boxed{3}'];
    await server.post('make', { env_id: GUESS });
    await server.post('reset', { seed: 12 });
    const first = await server.post('step', { action: actions[0] });
    expect((await server.post('make', { env_id: 'game:NoSuchGame-v0' })).status).toBe(400);
    const second = await server.post('step', { action: actions[1] });
    expect([first.body, second.body]).toEqual(referenceSteps(GUESS, 12, actions));
  });

  it('names env_id and kwargs when they are missing or of the wrong type', async () => {
    expect(await server.post('make', {})).toEqual({ status: 400, body: { detail: 'env_id: must be a non-empty string' } });
    expect((await server.post('make', { env_id: 42 })).body.detail).toBe('env_id: must be a non-empty string');
    expect((await server.post('make', { env_id: GUESS, kwargs: [1] })).body.detail).toBe('kwargs: must be a JSON object or null');
    const badKwarg = await server.post('make', { env_id: GUESS, kwargs: { max_turns: 'many' } });
    expect(badKwarg.status).toBe(400);
    expect(badKwarg.body.detail).toMatch(/^max_turns: /);
    await expectStillPlaying();
  });

  it('answers {env_id}, replaces an existing env, and applies kwargs over the registry defaults', async () => {
    expect(await server.post('make', { env_id: 'game:Wordle-v0-easy', sandbox_id: 'ignored' })).toEqual({
      status: 200,
      body: { env_id: 'game:Wordle-v0-easy' },
    });
    expect((await server.post('make', { env_id: 'game:Hangman-v0-easy' })).status).toBe(200);
    const reset = await server.post('reset', { seed: 3 });
    expect(reset.body.observation).toBe(make('game:Hangman-v0-easy', {}, { dataDir: GEM_DATA_DIR }).reset(3)[0]);
    await server.post('make', { env_id: GUESS, kwargs: { max_turns: 2 } });
    await server.post('reset', { seed: 1 });
    await server.post('step', { action: '\\boxed{1}' });
    const last = await server.post('step', { action: '\\boxed{2}' });
    expect(last.body.truncated).toBe(referenceTruncation());
    expect(last.body.truncated).toBe(true); // the default max_turns (4) would not truncate after two guesses
  });

  it('uses a seed given to make for the first reset that comes without one', async () => {
    expect((await server.post('make', { env_id: 'game:Sudoku-v0-easy', seed: 11 })).status).toBe(200);
    const first = await server.post('reset', {});
    expect(first.body.observation).toBe(make('game:Sudoku-v0-easy').reset(11)[0]);
    const bad = await server.post('make', { env_id: GUESS, seed: -3 });
    expect(bad).toEqual({ status: 400, body: { detail: 'seed: must be an integer between 0 and 2**32 - 1 (got -3)' } });
  });
});

/** GuessTheNumber with max_turns 2, seed 1, guesses 1 then 2: truncated unless one was right. */
function referenceTruncation(): boolean {
  const env = make(GUESS, { max_turns: 2 });
  env.reset(1);
  env.step('\\boxed{1}');
  return env.step('\\boxed{2}')[3];
}

describe('/env/reset seeds', () => {
  it.each([
    ['-1', -1],
    ['2**32', 2 ** 32],
    ['1.5', 1.5],
    ['"5"', '5'],
    ['true', true],
    ['[1]', [1]],
  ])('refuses seed %s with 400 naming the field and the rule', async (_label, seed) => {
    await server.post('make', { env_id: GUESS });
    const answer = await server.post('reset', { seed });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toMatch(/^seed: must be an integer between 0 and 2\*\*32 - 1 \(got /);
    await expectStillPlaying();
  });

  it('accepts the edges 0 and 2**32 - 1 and null (continue the stream)', async () => {
    await server.post('make', { env_id: 'game:Minesweeper-v0-easy' });
    for (const seed of [0, 2 ** 32 - 1]) {
      const answer = await server.post('reset', { seed });
      expect(answer.status).toBe(200);
      expect(answer.body.observation).toBe(make('game:Minesweeper-v0-easy').reset(seed)[0]);
    }
    expect((await server.post('reset', { seed: null })).status).toBe(200);
  });
});

describe('/env/step input', () => {
  it.each([
    ['a number', { action: 5 }, 'number'],
    ['null', { action: null }, 'null'],
    ['missing', {}, 'undefined'],
    ['an object', { action: { move: 'up' } }, 'object'],
  ])('refuses an action that is %s with 400', async (_label, body, got) => {
    await server.post('make', { env_id: GUESS });
    await server.post('reset', { seed: 1 });
    expect(await server.post('step', body)).toEqual({ status: 400, body: { detail: `action: must be a string (got ${got})` } });
    await expectStillPlaying();
  });

  it('refuses malformed JSON and non-object bodies with 400', async () => {
    const broken = await server.post('step', '{"action": "\\boxed{1}"', true);
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toMatch(/^body: .*not valid JSON/);
    expect(await server.post('step', [1, 2])).toEqual({ status: 400, body: { detail: 'body: must be a JSON object' } });
    await expectStillPlaying();
  });

  it('plays a 1 MB action exactly as the reference does, and refuses a body over the limit with 413', async () => {
    const huge = `\\boxed{${'9'.repeat(1024 * 1024)}}`;
    const pad = 'x'.repeat(1024 * 1024);
    const actions = [huge, `${pad}\\boxed{4}${pad}`];
    expect(await play(GUESS, 5, actions)).toEqual(referenceSteps(GUESS, 5, actions));
    const tooBig = await server.post('step', { action: 'y'.repeat(5 * 1024 * 1024) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.detail).toMatch(/^body: /);
    await expectStillPlaying();
  });

  it('plays unicode actions (full-width and Arabic-Indic digits, emoji, lone surrogates) as the reference', async () => {
    const actions = ['\\boxed{５}', '\\boxed{٣}', '🎲 \\boxed{2} 🎲', '\\boxed{\ud800}', 'ß\\boxed{10}'];
    expect(await play(GUESS, 9, actions)).toEqual(referenceSteps(GUESS, 9, actions));
    const words = ['\\boxed{café}', '\\boxed{ÄPFEL}', '\\boxed{ｃａｔ}'];
    expect(await play('game:Wordle-v0-easy', 2, words)).toEqual(referenceSteps('game:Wordle-v0-easy', 2, words));
  });

  it('keeps mutating after termination, as the reference does', async () => {
    const actions = ['garbage', '\\boxed{1}', '\\boxed{2}', 'garbage again', '\\boxed{3}'];
    const got = await play(GUESS, 4, actions);
    expect(got[0].terminated).toBe(true);
    expect(got).toEqual(referenceSteps(GUESS, 4, actions));
  });

  it('answers step after /env/close with 404 naming the closed env, until the next make', async () => {
    await server.post('make', { env_id: 'game:TowerofHanoi-v0-easy' });
    await server.post('reset', { seed: 1 });
    expect(await server.post('close', {})).toEqual({ status: 200, body: { closed: 'game:TowerofHanoi-v0-easy' } });
    const step = await server.post('step', { action: '\\boxed{A C}' });
    expect(step).toEqual({ status: 404, body: { detail: 'env game:TowerofHanoi-v0-easy was closed: call /env/make to start a new one' } });
    expect((await server.post('reset', {})).status).toBe(404);
    expect(await server.post('close', {})).toEqual({ status: 200, body: { closed: null } });
    await expectStillPlaying();
  });
});

describe('/env/list and auth', () => {
  it('lists every id @rock/gem serves', async () => {
    expect(await server.post('list', {})).toEqual({ status: 200, body: { env_id: list() } });
  });

  it('requires the bearer token like every other route', async () => {
    const res = await server.rocklet.request('/env/list', { method: 'POST', auth: false });
    expect(res.status).toBe(401);
  });

  it('does not log an access line per successful step at the default info level', async () => {
    await expectStillPlaying();
    const logs = server.rocklet.logs();
    expect(logs).toMatch(/"url":"\/env\/reset"/);
    expect(logs).not.toMatch(/"url":"\/env\/step","status":200/);
    expect(logs).toMatch(/"url":"\/env\/step","status":4\d\d/);
  });
});

describe('/env/make without a data directory', () => {
  it('fails a word game with a clear 500 naming ROCK_GEM_DATA_DIR and keeps serving number games', async () => {
    const bare = await startGemRocklet({ ROCK_GEM_DATA_DIR: '' });
    try {
      const made = await bare.post('make', { env_id: 'game:Wordle-v0-easy' });
      expect(made.status).toBe(500);
      expect(made.body.detail).toMatch(/corpora\/words\/en-basic is needed but no data directory is configured: set ROCK_GEM_DATA_DIR/);
      expect((await bare.post('make', { env_id: GUESS })).status).toBe(200);
      expect((await bare.post('reset', { seed: 1 })).status).toBe(200);
    } finally {
      await bare.stop();
    }
  }, 90_000);
});
