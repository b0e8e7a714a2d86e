import { CommandError, InternalError } from './errors';
import type { SandboxCommands } from './sandbox-commands';

/** Options of {@link Sandbox.arun}. */
export interface ArunOptions {
  /** Session to run in; default: a temporary session, closed afterwards. */
  session?: string;
  /** `normal` (default): wait in the session; `nohup`: run in the background and poll for its end. */
  mode?: 'normal' | 'nohup';
  /** Seconds for a `normal` command (default 300). */
  timeout?: number;
  /** Seconds to wait for a `nohup` command to finish (default 300). */
  waitTimeout?: number;
  /** Seconds between `nohup` completion checks (default 2; the first checks come sooner). */
  waitInterval?: number;
  /** Where a `nohup` command's output goes (default `/tmp/rock-arun-<id>.out`). */
  outputFile?: string;
  /** `nohup`: do not read the output back (`output` then names the file). */
  ignoreOutput?: boolean;
  /** `nohup`: read at most this many bytes of output (its tail; default 1 MiB). */
  responseLimitedBytes?: number;
}

/** {@link Sandbox.arun}'s answer. */
export interface ArunResult {
  output: string;
  exitCode: number | null;
  failureReason: string;
}

const DEFAULT_TIMEOUT_S = 300;

/** POSIX single-quoting. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Runs `command` the ROCK way: in a session, foreground (`normal`) or background (`nohup`). */
export async function arun(commands: SandboxCommands, command: string, options: ArunOptions = {}): Promise<ArunResult> {
  const temporary = options.session === undefined ? `arun-${uniqueSuffix()}` : null;
  const session = options.session ?? (temporary as string);
  if (temporary) await commands.createSession({ session: temporary });
  try {
    return options.mode === 'nohup' ? await runNohup(commands, session, command, options) : await runNormal(commands, session, command, options);
  } finally {
    if (temporary) await commands.closeSession(temporary).catch(() => undefined);
  }
}

async function runNormal(commands: SandboxCommands, session: string, command: string, options: ArunOptions): Promise<ArunResult> {
  const observation = await commands.runInSession({ session, command, timeout: options.timeout ?? DEFAULT_TIMEOUT_S, check: 'silent' });
  if (observation.exitCode !== null && observation.exitCode !== 0) {
    throw new CommandError(`command exited with ${observation.exitCode}: ${observation.output.slice(-500)}`, observation.exitCode, observation.output);
  }
  return { output: observation.output, exitCode: observation.exitCode, failureReason: observation.failureReason };
}

/**
 * Background run: `( sh -c CMD > out 2>&1; echo $? > out.rc ) &`, then polls for `out.rc`, so the
 * reported exit code is the command's own, not nohup's or the launcher's.
 */
async function runNohup(commands: SandboxCommands, session: string, command: string, options: ArunOptions): Promise<ArunResult> {
  const outputFile = options.outputFile ?? `/tmp/rock-arun-${uniqueSuffix()}.out`;
  const rcFile = `${outputFile}.rc`;
  const out = shellQuote(outputFile);
  const rc = shellQuote(rcFile);
  const launch = `rm -f ${rc}; ( nohup sh -c ${shellQuote(command)} > ${out} 2>&1 < /dev/null; echo $? > ${rc}.tmp && mv ${rc}.tmp ${rc} ) > /dev/null 2>&1 &`;
  await commands.runInSession({ session, command: launch, timeout: 30, check: 'ignore' });
  const exitCode = await waitForExitCode(commands, session, rc, options);
  if (options.ignoreOutput) return { output: `output in ${outputFile}`, exitCode, failureReason: '' };
  const limit = options.responseLimitedBytes ?? 1024 * 1024;
  const read = await commands.execute({ command: `tail -c ${Math.max(1, Math.floor(limit))} ${out}`, timeout: 60 });
  return { output: read.stdout.replace(/\n$/, ''), exitCode, failureReason: exitCode === 0 ? '' : `exit code ${exitCode}` };
}

async function waitForExitCode(commands: SandboxCommands, session: string, rcFile: string, options: ArunOptions): Promise<number> {
  const deadline = Date.now() + (options.waitTimeout ?? DEFAULT_TIMEOUT_S) * 1000;
  const maxIntervalMs = (options.waitInterval ?? 2) * 1000;
  let intervalMs = Math.min(100, maxIntervalMs);
  for (;;) {
    const probe = await commands.runInSession({ session, command: `cat ${rcFile} 2>/dev/null || echo pending`, timeout: 30, check: 'ignore' });
    const text = probe.output.trim();
    if (/^-?\d+$/.test(text)) return Number(text);
    if (Date.now() + intervalMs > deadline) throw new InternalError(`nohup command did not finish within ${options.waitTimeout ?? DEFAULT_TIMEOUT_S} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    intervalMs = Math.min(intervalMs * 2, maxIntervalMs);
  }
}
