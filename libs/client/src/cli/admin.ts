import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';

/** What `rock admin start` records in its pid file. */
interface PidRecord {
  pid: number;
  url: string;
  runtime: string;
  redis: string;
}

/** Local mode's public surface, loaded at run time from the built services (never bundled into the SDK). */
interface LocalModeModule {
  startLocalMode(options: { port?: number; host?: string; runtime?: 'docker' | 'local'; keepSandboxes?: boolean }): Promise<{
    url: string;
    runtime: string;
    redisUrl: string;
    redisOwned: boolean;
    stop(signal?: string): Promise<void>;
  }>;
}

interface StartFlags {
  env: string;
  port?: number;
  host?: string;
  runtime?: 'docker' | 'local';
  keepSandboxes?: boolean;
  background?: boolean;
  pidFile: string;
  logFile?: string;
}

const DEFAULT_PID_FILE = join(tmpdir(), 'rock', 'local.pid');

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer 0-65535');
  return n;
}

function loadLocalMode(): LocalModeModule {
  const entry = join(__dirname, '..', '..', '..', '..', 'services', 'local', 'src', 'index.js');
  if (!existsSync(entry)) throw new Error(`local mode is not built (${entry} missing): run \`npm run build\` or \`make run\``);
  // Loaded by path at run time so the published SDK never includes the services.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(entry) as LocalModeModule;
}

function readPidRecord(pidFile: string): PidRecord | null {
  try {
    return JSON.parse(readFileSync(pidFile, 'utf8')) as PidRecord;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runForeground(flags: StartFlags): Promise<void> {
  const existing = readPidRecord(flags.pidFile);
  if (existing && processAlive(existing.pid)) throw new Error(`a local-mode server already runs (pid ${existing.pid}, ${existing.url}); \`rock admin stop\` first or use --pid-file`);
  const localMode = loadLocalMode();
  const server = await localMode.startLocalMode({ port: flags.port ?? 8080, host: flags.host, runtime: flags.runtime, keepSandboxes: flags.keepSandboxes }).catch((error: unknown) => {
    // Exit now: a half-booted server may still hold sockets that would keep the process alive.
    process.stderr.write(`rock: local mode failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
  mkdirSync(dirname(flags.pidFile), { recursive: true });
  const record: PidRecord = { pid: process.pid, url: server.url, runtime: server.runtime, redis: server.redisUrl };
  writeFileSync(flags.pidFile, JSON.stringify(record));
  process.stdout.write(
    `ROCK local mode listening on ${server.url}\n  runtime: ${server.runtime}\n  redis:   ${server.redisUrl}${server.redisOwned ? ' (private redis-server, no persistence, stopped on exit)' : ''}\n  on exit: ${flags.keepSandboxes ? 'sandboxes are left running' : 'live sandboxes are stopped'}\n`,
  );
  let received = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) process.exit(1);
    received = true;
    process.stderr.write(`${signal}: stopping local mode…\n`);
    server.stop(signal).then(
      () => {
        if (readPidRecord(flags.pidFile)?.pid === process.pid) rmSync(flags.pidFile, { force: true });
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`rock: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Re-runs `rock admin start` detached with output to a log file; resolves once its pid file names it. */
async function runBackground(flags: StartFlags, argv: string[]): Promise<void> {
  const logFile = flags.logFile ?? join(dirname(flags.pidFile), 'local.log');
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const args = argv.slice(1).filter((arg) => arg !== '--background' && arg !== '-d');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const record = readPidRecord(flags.pidFile);
    if (record && record.pid === child.pid) {
      process.stdout.write(`ROCK local mode started in the background (pid ${record.pid}) on ${record.url}\n  runtime: ${record.runtime}\n  redis:   ${record.redis}\n  logs:    ${logFile}\n  stop it: rock admin stop\n`);
      return;
    }
    if (child.exitCode !== null || !processAlive(child.pid ?? -1)) throw new Error(`local mode exited during start-up; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`local mode did not come up within 300 s; see ${logFile}`);
}

async function stopServer(pidFile: string, timeoutSeconds: number): Promise<void> {
  const record = readPidRecord(pidFile);
  if (!record) throw new Error(`no local-mode server recorded at ${pidFile}`);
  if (!processAlive(record.pid)) {
    rmSync(pidFile, { force: true });
    process.stdout.write(`local mode (pid ${record.pid}) was not running; removed its stale pid file\n`);
    return;
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (processAlive(record.pid)) {
    if (Date.now() > deadline) throw new Error(`local mode (pid ${record.pid}) did not stop within ${timeoutSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  rmSync(pidFile, { force: true });
  process.stdout.write(`local mode (pid ${record.pid}) stopped\n`);
}

/** `rock admin start|stop`. */
export function adminCommand(): Command {
  const admin = new Command('admin').description('run ROCK itself (local mode: write + read services in one process)');
  admin
    .command('start')
    .description('start ROCK in local mode: one process, one port; finds or starts Redis; Docker runtime when the daemon answers, else local')
    .addOption(new Option('--env <env>', 'deployment flavour').choices(['local']).default('local'))
    .option('--port <port>', 'port to listen on (0 = any free port)', port)
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .addOption(new Option('--runtime <runtime>', 'sandbox runtime (default: docker if its daemon answers, else local)').choices(['docker', 'local']))
    .option('--keep-sandboxes', 'leave live sandboxes running on exit (default: stop them)')
    .option('-d, --background', 'run detached; `rock admin stop` stops it')
    .option('--pid-file <path>', 'pid file of the server', DEFAULT_PID_FILE)
    .option('--log-file <path>', 'log file of a --background server (default: next to the pid file)')
    .action(async (flags: StartFlags) => (flags.background ? runBackground(flags, process.argv) : runForeground(flags)));
  admin
    .command('stop')
    .description('stop a local-mode server started with `rock admin start` (SIGTERM, then wait)')
    .option('--pid-file <path>', 'pid file of the server', DEFAULT_PID_FILE)
    .option('--timeout <seconds>', 'how long to wait for it to exit', '120')
    .action(async (flags: { pidFile: string; timeout: string }) => stopServer(flags.pidFile, Number(flags.timeout)));
  return admin;
}
