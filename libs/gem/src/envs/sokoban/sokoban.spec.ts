import { ValidationError } from '@rock/contracts';
import { checkReset, episodesFor, replayEpisode, resetsFor, sweepIdsFor } from '@rock/testing';
import { InvalidSeedError } from '../../core/errors';
import { make } from '../../registry';
import { hasCornerDeadlock, hasFrozenBox } from './deadlock';
import { parseMove } from './index';
import { LevelGenerationError, generateLevel, walkSteps } from './level-generator';
import { BOX, FLOOR, PLAYER, TARGET, WALL, generateTopology, placePlayerAndTargets } from './room';
import { reversePlay } from './reverse-play';
import { PyRandom, defaultRng } from '../../random';

const FAMILY = 'Sokoban';
const IDS = ['game:Sokoban-v0-easy', 'game:Sokoban-v0-hard', 'game:Sokoban-v0-random'];
const episodes = episodesFor(FAMILY);

describe('Sokoban parity with GEM (gem-golden)', () => {
  it('covers every registered variant with transcripts and 200-seed reset sweeps', () => {
    expect(episodes).toHaveLength(90);
    expect(new Set(episodes.map((e) => e.env_id))).toEqual(new Set(IDS));
    expect(sweepIdsFor(FAMILY).sort()).toEqual([...IDS].sort());
  });

  it.each(episodes.map((e) => [e.env_id, e.seed, e.scenario, e] as const))('%s seed=%i (%s)', (_id, _seed, _s, episode) => {
    expect(replayEpisode((id) => make(id), episode)).toBeNull();
  });

  it.each(IDS)('reset sweep %s (every level of seeds 0..199)', (envId) => {
    const records = resetsFor(envId);
    expect(records).toHaveLength(200);
    expect(records.map((r) => checkReset((id) => make(id), r)).filter((d) => d !== null)).toEqual([]);
  });
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

  it('rejects seeds outside [0, 2^32-1] through the registry and keeps working', () => {
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

  it('samples random actions the env itself parses, covering all four moves', () => {
    const env = make('game:Sokoban-v0-hard');
    env.reset(1);
    const moves = new Set(Array.from({ length: 64 }, () => parseMove(env.sampleRandomAction())));
    expect(moves).toEqual(new Set(['up', 'down', 'left', 'right']));
  });

  it('can be stepped before any reset (GEM resets in its constructor)', () => {
    const [obs, reward, terminated] = make('game:Sokoban-v0-easy').step('\\boxed{left}');
    expect(obs).toMatch(/^At turn 1, you (cannot move left|moved left|pushed a box while you moved left)/);
    expect([reward, terminated]).toEqual([0, false]);
  });

  it('answers the dotless-i spelling GEM crashes on as a format error', () => {
    const env = make('game:Sokoban-v0-easy');
    env.reset(0);
    expect(env.step('\\boxed{up} \\boxed{r\u0131ght}').slice(0, 3)).toEqual(['At turn 1, your submitted action is not valid.', -0.1, true]);
  });

  it('validates kwargs and names the field', () => {
    expect(() => make('game:Sokoban-v0-easy', { dim_room: [2, 6] })).toThrow(ValidationError);
    expect(() => make('game:Sokoban-v0-easy', { dim_room: [2, 6] })).toThrow(/dim_room\.0: must be between 4 and 10/);
    expect(() => make('game:Sokoban-v0-easy', { dim_room: [6, 11] })).toThrow(/dim_room\.1: must be between 4 and 10/);
    expect(() => make('game:Sokoban-v0-easy', { num_boxes: 0 })).toThrow(/num_boxes: must be between 1 and 10/);
    expect(() => make('game:Sokoban-v0-easy', { max_turns: 'x' })).toThrow(/max_turns/);
  });

  it('plays custom sizes up to 10x10 (64 open cells: both halves of the packed keys)', () => {
    const env = make('game:Sokoban-v0-easy', { dim_room: [10, 9], num_boxes: 3 });
    const [, info] = env.reset(5);
    const rows = String(info.suffix).split('\n').slice(1, 11);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.split(' ').length === 9)).toBe(true);
    expect(rows.join('').split('X').length - 1).toBe(3);
    expect(generateLevel({ h: 10, w: 10 }, 3, 5).state).toEqual(generateLevel({ h: 10, w: 10 }, 3, 5).state);
  });

  it('rejects a room too small for its boxes at make time, naming the field', () => {
    expect(() => make('game:Sokoban-v0-easy', { dim_room: [4, 5], num_boxes: 5 })).toThrow(
      /num_boxes: must leave at least two interior cells free/,
    );
    expect(make('game:Sokoban-v0-easy', { dim_room: [4, 5], num_boxes: 4 })).toBeDefined();
  });

  it('gives up with a 400 LevelGenerationError when no attempt yields a level', () => {
    // 4 interior cells cannot hold a player and 3 targets with a cell to spare: every try fails.
    let error: unknown;
    try {
      generateLevel({ h: 4, w: 4 }, 3, 0);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LevelGenerationError);
    expect(error).toMatchObject({ httpStatus: 400, kind: 'gem_sokoban_generation_failed' });
    expect(String(error)).toMatch(/dim_room\/num_boxes: no solvable 4x4 level with 3 boxes found for seed 0 after 50 attempts/);
  });
});

describe('reverse play search', () => {
  /** The first few reverse-play inputs the generator builds for `seed`. */
  function searchInputs(seed: number, count: number, dims = { h: 8, w: 8 }, boxes = 4): Array<[Uint8Array, Uint8Array]> {
    const topology = new PyRandom(seed);
    const placement = defaultRng(seed);
    const out: Array<[Uint8Array, Uint8Array]> = [];
    while (out.length < count) {
      const room = generateTopology(topology, dims, walkSteps(dims));
      if (!placePlayerAndTargets(placement, room, boxes)) continue;
      out.push([room.map((v) => (v === TARGET ? BOX : v)), room.map((v) => (v === PLAYER ? FLOOR : v))]);
    }
    return out;
  }

  it.each([
    [8, 8, 4],
    [10, 10, 3],
  ])('finds the same best state, score and explored count with packed keys as with whole-grid keys (%ix%i, %i boxes)', (h, w, boxes) => {
    const dims = { h, w };
    for (const [start, structure] of searchInputs(11, 3, dims, boxes)) {
      const packed = reversePlay(start, structure, dims);
      const grid = reversePlay(start, structure, dims, 'grid');
      expect(packed.explored).toBeGreaterThan(0);
      expect({ ...packed, state: [...packed.state] }).toEqual({ ...grid, state: [...grid.state] });
    }
  });

  it('never changes its input and only pulls boxes off targets (score > 0 means every target is empty)', () => {
    const dims = { h: 8, w: 8 };
    for (const [start, structure] of searchInputs(3, 4)) {
      const before = [...start];
      const { state, score } = reversePlay(start, structure, dims);
      expect([...start]).toEqual(before);
      if (score > 0) expect(state.filter((v) => v === TARGET)).toHaveLength(4);
      expect(state.filter((v) => v === PLAYER)).toHaveLength(1);
    }
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
