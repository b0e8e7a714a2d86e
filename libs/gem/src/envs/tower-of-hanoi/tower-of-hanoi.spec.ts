import { describeGoldenParity } from '@rock/testing';
import { make } from '../../registry';

const FAMILY = 'TowerofHanoi';

describeGoldenParity(FAMILY, ['game:TowerofHanoi-v0-easy', 'game:TowerofHanoi-v0-hard', 'game:TowerofHanoi-v0-random'], (id) => make(id));

describe('TowerofHanoi behaviour', () => {
  const solve = (n: number, from = 'A', to = 'C', via = 'B'): string[] =>
    n === 0 ? [] : [...solve(n - 1, from, via, to), `\\boxed{${from} ${to}}`, ...solve(n - 1, via, to, from)];

  it('wins in 2^n - 1 moves with reward 1 and the unpunctuated win text', () => {
    const env = make('game:TowerofHanoi-v0-easy');
    env.reset(0);
    const moves = solve(3);
    const results = moves.map((m) => env.step(m));
    expect(results.slice(0, -1).every((r) => r[1] === 0 && !r[2])).toBe(true);
    expect(results[results.length - 1].slice(0, 4)).toEqual(['Congratulations! You solved the Tower of Hanoi Puzzle', 1, true, false]);
  });

  it('accepts AC, a,c and A , C; a move onto the same tower is a valid no-op', () => {
    const env = make('game:TowerofHanoi-v0-hard');
    env.reset(0);
    expect(env.step('\\boxed{AC}')[0]).toBe('At turn 1, you moved disk 1 from tower A to tower C.');
    expect(env.step('\\boxed{c,b}')[0]).toBe('At turn 2, you moved disk 1 from tower C to tower B.');
    expect(env.step('\\boxed{B , B}')[0]).toBe('At turn 3, you moved disk 1 from tower B to tower B.');
    expect(env.step('\\boxed{A-B}').slice(0, 3)).toEqual(['You did not provide a valid action.', -0.1, true]);
  });

  it('replaces the truncation reward by the share of disks on C', () => {
    const env = make('game:TowerofHanoi-v0-easy', { max_turns: 2 });
    env.reset(0);
    env.step('\\boxed{A C}');
    expect(env.step('\\boxed{A B}').slice(0, 4)).toEqual(['You have reached the maximum number of turns.', 1 / 3, true, true]);
  });

  it('draws the -random size from the seeded stream only', () => {
    const sizes = [0, 1, 2, 3, 4, 5].map((seed) => /with (\d) disks/.exec(make('game:TowerofHanoi-v0-random').reset(seed)[0])?.[1]);
    expect(sizes).toEqual(sizes.map((_, seed) => /with (\d) disks/.exec(make('game:TowerofHanoi-v0-random').reset(seed)[0])?.[1]));
    expect(new Set(sizes).size).toBeGreaterThan(1);
  });
});

describe('TowerofHanoi pathological input', () => {
  it('parses a 400 kB whitespace run in linear time (GEM’s own regex would backtrack quadratically)', () => {
    const env = make('game:TowerofHanoi-v0-easy');
    env.reset(0);
    const started = Date.now();
    expect(env.step(`\\boxed{A${' '.repeat(400_000)}`)[0]).toBe('You did not provide a valid action.');
    expect(env.step(`\\boxed{A${'\u3000'.repeat(1000)},${' '.repeat(1000)}C}`)[0]).toBe('At turn 2, you moved disk 1 from tower A to tower C.');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
