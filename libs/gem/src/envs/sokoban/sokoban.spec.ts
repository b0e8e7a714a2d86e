import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@rock/contracts';
import type { Env, Info } from '../../core/env';
import { hasCornerDeadlock, hasFrozenBox } from './deadlock';
import { registrations, InvalidSeedError, parseMove } from './index';
import { generateLevel } from './level-generator';
import { BOX, FLOOR, PLAYER, TARGET, WALL } from './room';

const GOLDEN = join(__dirname, '../../../../../../shared/gem-golden');

interface Step {
  observation: string;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}
interface Episode {
  env_id: string;
  seed: number;
  actions: string[];
  reset: { observation: string; info: Info };
  steps: Step[];
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as T);
}

function make(id: string, kwargs: Record<string, unknown> = {}): Env {
  const reg = registrations.find((r) => r.id === id);
  if (!reg) throw new Error(`Environment ${id} not found in registry.`);
  const env = reg.create({ ...reg.kwargs, ...kwargs }, {});
  env.envId = id;
  return env;
}

/** Replays one golden episode; returns the first mismatch as text, or null. */
function replay(ep: Episode): string | null {
  const env = make(ep.env_id);
  const [obs, info] = env.reset(ep.seed);
  if (obs !== ep.reset.observation) return `reset observation differs`;
  if (JSON.stringify(info) !== JSON.stringify(ep.reset.info)) return `reset info differs:\n${String(info.suffix)}`;
  for (let i = 0; i < ep.actions.length; i++) {
    const [o, r, term, trunc, inf] = env.step(ep.actions[i]);
    const want = ep.steps[i];
    const same =
      o === want.observation &&
      Math.abs(r - want.reward) <= 1e-9 &&
      term === want.terminated &&
      trunc === want.truncated &&
      JSON.stringify(inf) === JSON.stringify(want.info);
    if (!same) return `step ${i} (${JSON.stringify(ep.actions[i])}): got ${JSON.stringify([o, r, term, trunc])}`;
  }
  return null;
}

describe('Sokoban golden parity (GEM HEAD transcripts)', () => {
  const episodes = readJsonl<Episode>(join(GOLDEN, 'Sokoban.jsonl'));

  it('has the 90 recorded episodes', () => {
    expect(episodes).toHaveLength(90);
  });

  it('replays every episode byte for byte', () => {
    const failures = episodes.map((ep) => [`${ep.env_id}#${ep.seed}`, replay(ep)]).filter(([, f]) => f !== null);
    expect(failures).toEqual([]);
  });

  for (const variant of ['easy', 'hard', 'random']) {
    it(`reproduces all 200 reset levels of Sokoban-v0-${variant}`, () => {
      const lines = readJsonl<Episode>(join(GOLDEN, `resets/Sokoban-v0-${variant}.jsonl`));
      expect(lines).toHaveLength(200);
      const env = make(`game:Sokoban-v0-${variant}`);
      const mismatched = lines
        .filter((line) => {
          const [obs, info] = env.reset(line.seed);
          return obs !== line.reset.observation || JSON.stringify(info) !== JSON.stringify(line.reset.info);
        })
        .map((line) => line.seed);
      expect(mismatched).toEqual([]);
    });
  }
});

describe('SokobanEnv behaviour', () => {
  it('matches the GEM.md seed facts for Sokoban-v0-easy seeds 0 and 42', () => {
    const board = (seed: number): string => {
      const [, info] = make('game:Sokoban-v0-easy').reset(seed);
      return String(info.suffix).split('\n').slice(1, 7).join(',').replaceAll(' ', '');
    };
    expect(board(0)).toBe('######,##___#,#_X_O#,#_#OX#,#___P#,######');
    expect(board(42)).toBe('######,#____#,#_XOO#,#_#X_#,#__P_#,######');
  });

  it('gives the same level for the same seed after play, and continues the stream without a seed', () => {
    const env = make('game:Sokoban-v0-hard');
    const first = env.reset(7);
    env.step('\\boxed{up}');
    env.step('\\boxed{left}');
    expect(env.reset(7)).toEqual(first);
    const [, unseeded] = env.reset();
    expect(String(unseeded.suffix)).toMatch(/^Here is the current board layout:\n/);
  });

  it('rejects seeds outside [0, 2^32-1] with a ValueError-style error and keeps working', () => {
    const env = make('game:Sokoban-v0-easy');
    expect(() => env.reset(-1)).toThrow(InvalidSeedError);
    expect(() => env.reset(2 ** 32)).toThrow(/seed: must be an integer between 0 and 2\*\*32 - 1/);
    expect(() => env.reset(1.5)).toThrow(InvalidSeedError);
    expect(env.reset(2 ** 32 - 1)[0]).toContain('within 20 turns');
  });

  it('ends with a format error (-0.1, terminated) on malformed actions, truncated only on the last turn', () => {
    const env = make('game:Sokoban-v0-easy', { max_turns: 2 });
    env.reset(3);
    expect(env.step('\\boxed{north}').slice(0, 4)).toEqual(['At turn 1, your submitted action is not valid.', -0.1, true, false]);
    env.reset(3);
    env.step('\\boxed{up}');
    expect(env.step('no box').slice(1, 4)).toEqual([-0.1, true, true]);
  });

  it('replaces the reward on truncation by boxes_on_target / num_boxes', () => {
    const env = make('game:Sokoban-v0-easy', { max_turns: 1 });
    env.reset(0);
    // Seed 0 (see the seed facts): the player at (4,4) pushes the box at (3,4) up onto the target at (2,4).
    const [obs, reward, terminated, truncated] = env.step('\\boxed{up}');
    expect([obs, reward, terminated, truncated]).toEqual(['You have reached the maximum number of turns.', 0.5, true, true]);
  });

  it('validates kwargs and names the field', () => {
    expect(() => make('game:Sokoban-v0-easy', { dim_room: [2, 6] })).toThrow(ValidationError);
    expect(() => make('game:Sokoban-v0-easy', { dim_room: [2, 6] })).toThrow(/dim_room\.0: must be between 4 and 16/);
    expect(() => make('game:Sokoban-v0-easy', { num_boxes: 0 })).toThrow(/num_boxes: must be between 1 and 10/);
    expect(() => make('game:Sokoban-v0-easy', { max_turns: 'x' })).toThrow(/max_turns/);
  });

  it('plays custom sizes, including rooms too large for integer state keys', () => {
    const env = make('game:Sokoban-v0-easy', { dim_room: [10, 12], num_boxes: 3 });
    const [, info] = env.reset(5);
    const rows = String(info.suffix).split('\n').slice(1, 11);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.split(' ').length === 12)).toBe(true);
    expect(rows.join('').split('X').length - 1).toBe(3);
    expect(generateLevel({ h: 10, w: 12 }, 3, 5).state).toEqual(generateLevel({ h: 10, w: 12 }, 3, 5).state);
  });
});

describe('parseMove', () => {
  it.each([
    ['\\boxed{up}', 'up'],
    ['$\\boxed{DOWN}$', 'down'],
    ['\\boxed{left} then \\boxed{Right}', 'right'],
    ['\\\\boxed{up}', 'up'],
    ['\\boxed{right} \\boxed{r\u0131ght}', null],
    ['\\boxed{R\u0130GHT}', null],
    ['\\boxed{ up}', null],
    ['\\boxed {up}', null],
    ['boxed{up}', null],
    ['\\boxed{ｕｐ}', null],
    ['', null],
  ])('%j → %j', (action, move) => {
    expect(parseMove(action)).toBe(move);
  });
});

describe('generator deadlock tests keep GEM asymmetric corner rule', () => {
  // 5x5 room, a lone box at the centre (2,2) not on a target, walls placed around it.
  const dims = { h: 5, w: 5 };
  const room = (walls: number[]): [Uint8Array, Uint8Array] => {
    const structure = new Uint8Array(25).fill(FLOOR);
    for (const c of walls) structure[c] = WALL;
    const state = Uint8Array.from(structure);
    state[12] = BOX;
    return [state, structure];
  };
  const UP = 7;
  const DOWN = 17;
  const LEFT = 11;
  const RIGHT = 13;

  it.each([
    ['up+down', [UP, DOWN], true],
    ['down+left', [DOWN, LEFT], true],
    ['left+right', [LEFT, RIGHT], true],
    ['up+right', [UP, RIGHT], true],
    ['up+left (missed by GEM)', [UP, LEFT], false],
    ['down+right (missed by GEM)', [DOWN, RIGHT], false],
    ['three sides', [UP, LEFT, RIGHT], true],
    ['one side', [UP], false],
  ])('%s → deadlock %s', (_name, walls, expected) => {
    const [state, structure] = room(walls);
    expect(hasCornerDeadlock(state, structure, dims)).toBe(expected);
  });

  it('ignores boxes standing on targets', () => {
    const [state, structure] = room([UP, DOWN, LEFT]);
    structure[12] = TARGET;
    expect(hasCornerDeadlock(state, structure, dims)).toBe(false);
  });

  it('frozen test: needs two boxes, and the player cell counts as a push cell', () => {
    const [state] = room([UP, DOWN]);
    state[11] = BOX;
    state[13] = WALL;
    expect(hasFrozenBox(state, dims, 1)).toBe(false);
    // (2,2) can only move left/right: left holds a box, right is a wall → frozen.
    expect(hasFrozenBox(state, dims, 2)).toBe(true);
    state[13] = PLAYER;
    state[11] = FLOOR;
    state[10] = BOX;
    // (2,2) moves left (2,1 is floor) pushed from the player's cell (2,3).
    expect(hasFrozenBox(state, dims, 2)).toBe(false);
  });
});
