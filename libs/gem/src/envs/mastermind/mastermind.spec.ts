import { describeGoldenParity } from '@rock/testing';
import { make } from '../../registry';
import { scorePegs } from './mastermind.env';

const FAMILY = 'Mastermind';

describeGoldenParity(FAMILY, ['game:Mastermind-v0-easy', 'game:Mastermind-v0-hard', 'game:Mastermind-v0-random'], (id) => make(id));

describe('Mastermind behaviour', () => {
  it('matches GEM.md seed facts and returns {} as reset info', () => {
    const env = make('game:Mastermind-v0-easy');
    expect(env.reset(0)[1]).toEqual({});
    expect(env.step('\\boxed{4 6}')).toEqual([
      'Congratulations! You guessed the correct code [4, 6] in 1 turns.',
      1,
      true,
      false,
      { suffix: 'Enter your guess.' },
    ]);
    const hard = make('game:Mastermind-v0-hard');
    hard.reset(1);
    expect(hard.step('\\boxed{3 5 1 8}')[0]).toContain('[3, 5, 1, 8]');
  });

  it('pays black-peg milestones only once and splits on Python whitespace but not U+FEFF', () => {
    const env = make('game:Mastermind-v0-hard');
    env.reset(0); // code [7, 8, 4, 1]
    expect(env.step('\\boxed{7\x1e2\x853\u30005}').slice(0, 2)).toEqual([
      'At turn 1, you guessed [7, 2, 3, 5]. This guess receives 1 black peg(s) and 0 white peg(s).',
      0.25,
    ]);
    expect(env.step('\\boxed{7 3 2 5}')[1]).toBe(0);
    expect(env.step('\\boxed{7\ufeff8\ufeff4\ufeff1}').slice(0, 3)).toEqual(['At turn 3, you did not provide a valid guess.', -0.1, true]);
  });

  it('scores pegs like standard Mastermind', () => {
    expect(scorePegs([1, 2, 3, 4], [4n, 3n, 2n, 1n])).toEqual({ black: 0, white: 4 });
    expect(scorePegs([1, 2, 3, 4], [1n, 1n, 1n, 1n])).toEqual({ black: 1, white: 0 });
    expect(scorePegs([1, 2], [2n, 2n])).toEqual({ black: 1, white: 0 });
  });

  it('rejects impossible kwargs with the field and rule', () => {
    expect(() => make('game:Mastermind-v0-easy', { code_length: 7, num_numbers: 6 })).toThrow(
      'code_length: must be <= num_numbers when duplicate_numbers is false',
    );
    const dup = make('game:Mastermind-v0-easy', { duplicate_numbers: true });
    expect(dup.reset(0)[0]).toContain('Duplicate numbers are allowed.');
  });
});
