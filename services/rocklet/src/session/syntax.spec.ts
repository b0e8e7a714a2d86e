import { execFileSync } from 'node:child_process';
import { isPlainSimpleCommand } from './syntax';

/** What `bash -n` says about a line (the check isPlainSimpleCommand lets the rocklet skip). */
function bashAccepts(line: string): boolean {
  try {
    execFileSync('/bin/bash', ['-n'], { input: line, stdio: ['pipe', 'ignore', 'ignore'], timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

describe('isPlainSimpleCommand', () => {
  it('accepts single lines of plain words', () => {
    for (const line of ['true', 'ls -la /tmp', 'python run.py --n 3', 'A=1 env', 'git commit -m x', 'pip install a==1.2', '  cd  /work  ']) {
      expect(isPlainSimpleCommand(line)).toBe(true);
    }
  });

  it('refuses anything with shell syntax, reserved words, several lines or nothing at all', () => {
    for (const line of ['fi', 'done', 'if true', 'echo "a"', "echo 'a", 'a | b', 'a; b', 'a && b', 'cat <f', 'echo $x', 'ls *', 'a # c', 'f()', 'a\nb', '', '   ', '{ a', '! a', 'echo `x`']) {
      expect(isPlainSimpleCommand(line)).toBe(false);
    }
  });

  it('never skips a line that bash -n would reject (real bash, every reserved word, plain and not)', () => {
    const lines = ['case', 'coproc', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'select', 'then', 'time', 'until', 'while'];
    const samples = [...lines, ...lines.map((w) => `${w} x`), 'true', 'ls -la', 'a=b c=d', 'x,y @z %q +r -s :t'];
    for (const line of samples) if (isPlainSimpleCommand(line)) expect(bashAccepts(line)).toBe(true);
  });
});
