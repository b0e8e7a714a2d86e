import { Command, CommanderError } from 'commander';
import { RockError } from '../errors';
import { adminCommand } from './admin';
import { gemCommand } from './gem.command';
import { sandboxCommand, type GlobalFlags } from './sandbox.command';

/** The `rock` program (commander). */
export function buildProgram(): Command {
  const program = new Command('rock')
    .description('ROCK sandboxes from the command line. Server: --base-url or ROCK_BASE_URL (default http://127.0.0.1:8080).')
    .option('--base-url <url>', 'ROCK server (default: ROCK_BASE_URL or http://127.0.0.1:8080)')
    .option('--api-key <key>', 'API key (default: ROCK_API_KEY)')
    .option('--progress', 'show progress on stderr even when it is not a terminal')
    .showHelpAfterError()
    .exitOverride();
  const globals = (): GlobalFlags => program.opts<GlobalFlags>();
  program.addCommand(adminCommand());
  program.addCommand(sandboxCommand(globals));
  program.addCommand(gemCommand(globals));
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

function describe(error: unknown): string {
  if (error instanceof RockError) return `${error.message} [${error.name} ${error.code}]`;
  return error instanceof Error ? error.message : String(error);
}

/** Runs the CLI; errors become one line on stderr and a non-zero exit code. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`rock: ${describe(error)}\n`);
    process.exitCode = 1;
  }
}
