import type { EnvRegistration } from '../core/env';
import { registrations as crosswords } from './crosswords';
import { registrations as fifteenPuzzle } from './fifteen-puzzle';
import { registrations as game2048 } from './game2048';
import { registrations as guessTheNumber } from './guess-the-number';
import { registrations as hangman } from './hangman';
import { registrations as mastermind } from './mastermind';
import { registrations as minesweeper } from './minesweeper';
import { registrations as sokoban } from './sokoban';
import { registrations as sudoku } from './sudoku';
import { registrations as towerOfHanoi } from './tower-of-hanoi';
import { registrations as wordSearch } from './word-search';
import { registrations as wordle } from './wordle';

/** Every game family's registry entries, in GEM's registration order. */
export const allRegistrations: EnvRegistration[] = [
  ...guessTheNumber,
  ...mastermind,
  ...minesweeper,
  ...wordle,
  ...hangman,
  ...fifteenPuzzle,
  ...sudoku,
  ...towerOfHanoi,
  ...game2048,
  ...sokoban,
  ...crosswords,
  ...wordSearch,
];
