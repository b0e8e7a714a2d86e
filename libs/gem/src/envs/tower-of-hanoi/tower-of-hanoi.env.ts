import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyIntListRepr } from '../../core/pystr';
import { type MoveOutcome, TextGameEnv } from '../../core/text-game';

/** Resolved options; both null = the `-random` variant (drawn on every reset). */
export interface TowerOfHanoiOptions {
  numDisks: number | null;
  maxTurns: number | null;
}

type Tower = 'A' | 'B' | 'C';
interface Move {
  from: Tower;
  to: Tower;
}

const RANDOM_VARIANTS: ReadonlyArray<readonly [disks: number, turns: number]> = [
  [3, 10],
  [4, 20],
  [5, 35],
];
const TOWERS: readonly Tower[] = ['A', 'B', 'C'];
/**
 * GEM's `\\boxed{([ABCabc])\s*,?\s*([ABCabc])}` rewritten as `\s*(?:,\s*)?`: the same language and
 * groups, but without the ambiguous split of a whitespace run between two `\s*`, which backtracks
 * quadratically (a 400 kB action would hang the process, in Python too).
 */
const ACTION = pyRegex(String.raw`\\boxed{([ABCabc])\s*(?:,\s*)?([ABCabc])}`);

/** GEM `TowerofHanoiEnv` (GEM.md §2.8): move the stack from A to C. No randomness beyond the variant. */
export class TowerOfHanoiEnv extends TextGameEnv<Move> {
  private readonly isRandom: boolean;
  private numDisks: number;
  private towers: Record<Tower, number[]> = { A: [], B: [], C: [] };

  constructor(options: TowerOfHanoiOptions) {
    super();
    this.isRandom = options.numDisks === null || options.maxTurns === null;
    this.numDisks = options.numDisks ?? 3;
    this.maxTurns = options.maxTurns ?? 1;
    this.reset();
  }

  sampleRandomAction(): string {
    return `\\boxed{${this.rng.choice(TOWERS)} ${this.rng.choice(TOWERS)}}`;
  }

  protected newEpisode(): ResetResult {
    if (this.isRandom) [this.numDisks, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
    this.towers = { A: Array.from({ length: this.numDisks }, (_, i) => this.numDisks - i), B: [], C: [] };
    return [instructions(this.numDisks), this.info()];
  }

  protected parse(action: string): Move | null {
    const m = lastMatch(ACTION, action);
    return m ? { from: m[1].toUpperCase() as Tower, to: m[2].toUpperCase() as Tower } : null;
  }

  protected play({ from, to }: Move): MoveOutcome {
    const t = this.turnCount;
    const source = this.towers[from];
    const target = this.towers[to];
    if (source.length === 0) return neutral(`At turn ${t}, you tried to move from tower ${from}, which is empty.`);
    const disk = source[source.length - 1];
    if (target.length > 0 && disk > target[target.length - 1]) {
      return neutral(
        `At turn ${t}, you tried to move from tower ${from} to tower ${to}, but the top disk on tower ${from} is larger than the top disk on tower ${to}.`,
      );
    }
    source.pop();
    target.push(disk);
    if (this.isSolved()) return { observation: 'Congratulations! You solved the Tower of Hanoi Puzzle', reward: 1, terminated: true };
    return neutral(`At turn ${t}, you moved disk ${disk} from tower ${from} to tower ${to}.`);
  }

  protected formatErrorText(): string {
    return 'You did not provide a valid action.';
  }

  protected info(): Info {
    const { A, B, C } = this.towers;
    const state = `A: ${pyIntListRepr(A)}\nB: ${pyIntListRepr(B)}\nC: ${pyIntListRepr(C)}\n`;
    return { suffix: `Here is the current state of the tower of hanoi:\n${state}\nEnter your move.` };
  }

  /** GEM replaces the step reward with the fraction of disks already on C. */
  protected override truncationReward(): number {
    return this.towers.C.length / this.numDisks;
  }

  private isSolved(): boolean {
    const c = this.towers.C;
    return c.length === this.numDisks && c.every((disk, i) => disk === this.numDisks - i);
  }
}

function neutral(observation: string): MoveOutcome {
  return { observation, reward: 0, terminated: false };
}

function instructions(disks: number): string {
  return (
    `You are playing Tower of Hanoi with ${disks} disks.\n` +
    'You have to move the disks from tower A to tower C.\n' +
    "To move a disk, type the source tower and the target tower (e.g., '\\boxed{A C}').\n" +
    'Note that you can only move the top disk of a tower, and that a bigger disk cannot be placed on a smaller disk.\n' +
    'As you play, the history of your moves will be displayed.\n'
  );
}
