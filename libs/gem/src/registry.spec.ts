import type { Env, EnvRegistration } from './core/env';
import { DuplicateEnvError, InvalidSeedError, UnknownEnvError } from './core/errors';
import { applyWrappers } from './core/wrappers';
import { EnvRegistry, closeMatches, editDistance, list, make } from './registry';

const GAME_IDS = [
  'game:GuessTheNumber-v0-easy',
  'game:Mastermind-v0-hard',
  'game:Minesweeper-v0-random',
  'game:TowerofHanoi-v0-easy',
];

function fakeRegistration(id: string, seen: Array<Record<string, unknown>> = []): EnvRegistration {
  return {
    id,
    kwargs: { size: 3, turns: 5 },
    create(kwargs): Env {
      seen.push(kwargs);
      return { envId: '', reset: (seed) => [`seed=${String(seed)}`, {}], step: (a) => [a, 0, false, false, {}], sampleRandomAction: () => 'x' };
    },
  };
}

describe('registry', () => {
  it('lists every registered game id once, in registration order', () => {
    const ids = list();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of GAME_IDS) expect(ids).toContain(id);
    expect(ids.indexOf('game:GuessTheNumber-v0-easy')).toBeLessThan(ids.indexOf('game:TowerofHanoi-v0-easy'));
    expect(ids).not.toContain('game:GuessTheNumber-v0');
  });

  it('make sets envId and merges caller kwargs over registry defaults', () => {
    const seen: Array<Record<string, unknown>> = [];
    const registry = new EnvRegistry([fakeRegistration('game:Fake-v0', seen)]);
    const env = registry.make('game:Fake-v0', { turns: 9 });
    expect(env.envId).toBe('game:Fake-v0');
    expect(env.unwrapped.envId).toBe('game:Fake-v0');
    expect(seen).toEqual([{ size: 3, turns: 9 }]);
    expect(make('game:TowerofHanoi-v0-easy').envId).toBe('game:TowerofHanoi-v0-easy');
  });

  it('refuses duplicate registrations', () => {
    const registry = new EnvRegistry([fakeRegistration('game:Fake-v0')]);
    expect(() => registry.register(fakeRegistration('game:Fake-v0'))).toThrow(DuplicateEnvError);
  });

  it('unknown ids throw UnknownEnvError (400) with close matches', () => {
    const attempt = (id: string): UnknownEnvError => {
      try {
        make(id);
      } catch (err) {
        if (err instanceof UnknownEnvError) return err;
        throw err;
      }
      throw new Error(`make(${id}) did not throw`);
    };
    const missingVariant = attempt('game:GuessTheNumber-v0');
    expect(missingVariant.httpStatus).toBe(400);
    expect(missingVariant.kind).toBe('gem_unknown_env');
    expect(missingVariant.message).toMatch(/^Environment game:GuessTheNumber-v0 not found in registry\. Did you mean: /);
    expect(missingVariant.closeMatches).toEqual(
      expect.arrayContaining(['game:GuessTheNumber-v0-easy', 'game:GuessTheNumber-v0-hard', 'game:GuessTheNumber-v0-random']),
    );
    expect(attempt('game:minesweeper-v0-easy').closeMatches[0]).toBe('game:Minesweeper-v0-easy');
    expect(attempt('TowerofHanoi-v0-hard').closeMatches[0]).toBe('game:TowerofHanoi-v0-hard');
    expect(attempt('game:TicTacToe-v0').closeMatches).toEqual([]);
  });

  it('validates seeds on reset: integers in [0, 2^32-1] or null', () => {
    const env = make('game:TowerofHanoi-v0-easy');
    expect(() => env.reset(0)).not.toThrow();
    expect(() => env.reset(4294967295)).not.toThrow();
    expect(() => env.reset(null)).not.toThrow();
    expect(() => env.reset()).not.toThrow();
    for (const bad of [-1, 4294967296, 1.5, Number.NaN, '3' as unknown as number]) {
      expect(() => env.reset(bad)).toThrow(InvalidSeedError);
    }
    expect(() => env.reset(-1)).toThrow('seed: must be an integer between 0 and 2**32 - 1 (got -1)');
  });

  it('computes edit distances and ranks matches', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closeMatches('game:Sokobon-v0-easy', ['game:Sokoban-v0-easy', 'game:Sudoku-v0-easy', 'game:Wordle-v0-easy'])).toEqual([
      'game:Sokoban-v0-easy',
    ]);
  });

  it('serves a real game through the concat wrapper the way GEM concat shows it (history + board suffix)', () => {
    const env = applyWrappers(make('game:TowerofHanoi-v0-easy'), ['concat', 'episode_tracking']);
    const [first] = env.reset(0);
    expect(first).toMatch(/^You are playing Tower of Hanoi with 3 disks\.\n[\s\S]*\nHere is the current state of the tower of hanoi:\nA: \[3, 2, 1\]\nB: \[\]\nC: \[\]\n\nEnter your move\.$/);
    const [obs, , , , info] = env.step('\\boxed{A C}');
    expect(obs.endsWith('At turn 1, you moved disk 1 from tower A to tower C.\nHere is the current state of the tower of hanoi:\nA: [3, 2]\nB: []\nC: [1]\n\nEnter your move.')).toBe(true);
    expect(info).toMatchObject({ step_counter: 1, cumulative_rewards: 0 });
  });
});
