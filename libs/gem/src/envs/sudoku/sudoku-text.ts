/** GEM Sudoku's prompt and board text (GEM.md §2.7), reproduced with its quirks. */

/** The reset prompt. Quirks kept: two spaces in `playing  Sudoku` for scale 9, "nine … subgrids" for any scale. */
export function sudokuInstructions(scale: number): string {
  const s = scale;
  return (
    `You are playing ${s === 4 ? 'A simple version of' : ''} Sudoku.\n` +
    `Each row is numbered from 1 to ${s}, and each column is also numbered from 1 to ${s}.\n` +
    `Empty cells are represented by '.', and pre-filled cells contain digits from 1 to ${s}.\n\n` +
    `Your objective is to fill the empty cells in the ${s}x${s} grid with digits from 1 to ${s} such that:\n` +
    `1. Each row contains all digits from 1 to ${s} without repetition.\n` +
    `2. Each column contains all digits from 1 to ${s} without repetition.\n` +
    `3. Each of the nine ${s}x${s} subgrids contains all digits from 1 to ${s} without repetition.\n\n` +
    'Rules and Instructions:\n' +
    '1. **Do not overwrite** the initial numbers provided in the grid.\n' +
    "2. **Only fill** empty cells represented by '.'.\n" +
    "3. You may respond in any manner you prefer, but ensure that your response includes the format of '\\boxed{row column number}', e.g. \\boxed{1 1 5}.\n" +
    '4. **Ensure** that your move does not violate Sudoku rules. Invalid moves, including overwriting pre-filled cells and placing two numbers in one row/col/sub-grid will result in penalties.\n' +
    'The history of your moves will be appended as you play more rounds. Use the history of your move to improve your decision making by avoiding the moves you have tried. Good luck!\n\n'
  );
}

/**
 * The board: a `C1 C2   C3 C4  ` header, rows `R1  .  . |  .  .` (Python-`strip()`ped), and a
 * `   - - …` rule after every box row but the last.
 */
export function renderSudoku(board: readonly number[], scale: number): string {
  const box = Math.floor(Math.sqrt(scale));
  const header: string[] = [];
  for (let j = 1; j <= scale; j++) header.push(`C${j}${j % box === 0 ? '  ' : ''}`);
  const lines = [`   ${header.join(' ')}`];
  for (let i = 0; i < scale; i++) {
    let row = `R${i + 1} `;
    for (let j = 0; j < scale; j++) {
      const digit = board[i * scale + j];
      row += ` ${digit === 0 ? '.' : String(digit)} `;
      if ((j + 1) % box === 0 && j < scale - 1) row += '| ';
    }
    lines.push(row.trim());
    if ((i + 1) % box === 0 && i < scale - 1) lines.push(`   ${'- '.repeat(2 * (scale - 1))}`);
  }
  return lines.join('\n');
}
