import { describeGoldenParity } from '@rock/testing';
import { make } from '../../registry';

const FAMILY = 'GuessTheNumber';

describeGoldenParity(FAMILY, ['game:GuessTheNumber-v0-easy', 'game:GuessTheNumber-v0-hard', 'game:GuessTheNumber-v0-random'], (id) => make(id));

describe('GuessTheNumber behaviour', () => {
  it('matches GEM.md seed facts (target via a binary search, -random ranges in the prompt)', () => {
    const env = make('game:GuessTheNumber-v0-easy');
    const [obs] = env.reset(0);
    expect(obs).toContain('for example, \\boxed{7}.');
    expect(env.step('\\boxed{7}')[0]).toBe('Congratulations! You guessed the correct number 7 in 1 turns.');
    const random = make('game:GuessTheNumber-v0-random');
    expect(random.reset(42)[0]).toContain('between 2 and 8 (inclusive) within 4 turns');
  });

  it('treats \\boxed{0} and \\boxed{00} as format errors that end the episode', () => {
    const env = make('game:GuessTheNumber-v0-hard');
    env.reset(3);
    expect(env.step('\\boxed{00}')).toEqual(['At turn 1, you did not provide a valid guess.', -0.1, true, false, { suffix: 'Enter your next guess.' }]);
  });

  it('prints arbitrarily long guesses in full and continues unseeded resets from the same stream', () => {
    const env = make('game:GuessTheNumber-v0-easy');
    env.reset(5);
    const big = '9'.repeat(40);
    expect(env.step(`\\boxed{${big}}`)[0]).toBe(`At turn 1, you guessed ${big}, which is outside the range specified.`);
    const a = make('game:GuessTheNumber-v0-easy');
    const b = make('game:GuessTheNumber-v0-easy');
    a.reset(11);
    b.reset(11);
    expect(a.reset()).toEqual(b.reset());
  });

  it('rejects bad kwargs with the field and rule', () => {
    expect(() => make('game:GuessTheNumber-v0-easy', { max_turns: 0 })).toThrow('max_turns: must be an integer >= 1');
    expect(() => make('game:GuessTheNumber-v0-easy', { min_number: 5, max_number: 5 })).toThrow('max_number: must be greater than min_number');
  });
});
