import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import type { ClientOptions } from '../client.config';
import { RockClient } from '../rock-client';
import { Sandbox } from '../sandbox';
import { collectPair, describeStatus, printJson, table } from './output';
import { progressSink, startReporter, transferReporter } from './progress';

/** Global flags every subcommand sees (`--base-url`, `--api-key`, `--progress`). */
export interface GlobalFlags {
  baseUrl?: string;
  apiKey?: string;
  progress?: boolean;
}

type Globals = () => GlobalFlags;

function clientOptions(globals: GlobalFlags): ClientOptions {
  return { baseUrl: globals.baseUrl, apiKey: globals.apiKey };
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number > 0');
  return n;
}

interface CreateFlags {
  image: string;
  id?: string;
  memory?: string;
  cpus?: number;
  env?: Record<string, string>;
  metadata?: Record<string, string>;
  autoClearSeconds?: number;
  startupTimeout?: number;
  json?: boolean;
}

async function create(globals: GlobalFlags, flags: CreateFlags): Promise<void> {
  const sink = progressSink(Boolean(globals.progress));
  const sandbox = new Sandbox({
    ...clientOptions(globals),
    image: flags.image,
    sandboxId: flags.id,
    memory: flags.memory,
    cpus: flags.cpus,
    env: flags.env,
    metadata: flags.metadata,
    autoClearSeconds: flags.autoClearSeconds,
    startupTimeout: flags.startupTimeout,
  });
  try {
    const status = await sandbox.start({ onProgress: startReporter(sink) });
    sink.done();
    if (flags.json) printJson(status);
    else process.stdout.write(`${status.sandbox_id}\n`);
  } finally {
    sink.done();
  }
}

async function list(globals: GlobalFlags, flags: { json?: boolean; filter?: Record<string, string>; metadata?: Record<string, string> }): Promise<void> {
  const page = await new RockClient(clientOptions(globals)).listSandboxes({ filters: flags.filter, metadata: flags.metadata, pageSize: 2000 });
  if (flags.json) return printJson(page);
  const rows = page.items.map((s) => [s.sandbox_id, s.state, s.image, s.create_time]);
  process.stdout.write(`${table(['SANDBOX', 'STATE', 'IMAGE', 'CREATED'], rows)}\n`);
}

async function exec(globals: GlobalFlags, id: string, words: string[], flags: { cwd?: string; env?: Record<string, string>; timeout?: number; json?: boolean }): Promise<void> {
  const command = words.length === 1 ? (words[0] as string) : words;
  const result = await Sandbox.attach(id, clientOptions(globals)).execute({ command, cwd: flags.cwd, env: flags.env, timeout: flags.timeout });
  if (flags.json) printJson(result);
  else {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
  }
  process.exitCode = result.exitCode ?? 1;
}

/** Line-mode shell: each line typed runs in one persistent bash session through run_in_session. */
async function shell(globals: GlobalFlags, id: string): Promise<void> {
  const sandbox = Sandbox.attach(id, clientOptions(globals));
  const session = `cli-shell-${Date.now().toString(36)}`;
  await sandbox.createSession({ session });
  const interactive = Boolean(process.stdin.isTTY);
  if (interactive) process.stderr.write(`line-mode shell in ${id} (session ${session}); each line runs in the sandbox's bash; exit or Ctrl-D to leave\n`);
  const lines = createInterface({ input: process.stdin, output: interactive ? process.stderr : undefined, prompt: `${id}$ ` });
  let lastExit = 0;
  try {
    if (interactive) lines.prompt();
    for await (const line of lines) {
      if (line.trim() === 'exit') break;
      if (line.trim() !== '') {
        const observation = await sandbox.runInSession({ session, command: line, check: 'silent' });
        if (observation.output) process.stdout.write(`${observation.output}\n`);
        lastExit = observation.exitCode ?? 0;
      }
      if (interactive) lines.prompt();
    }
  } finally {
    lines.close();
    await sandbox.closeSession(session).catch(() => undefined);
  }
  process.exitCode = lastExit;
}

function splitRemote(spec: string): { id: string; path: string } | null {
  const match = /^([a-z0-9][a-z0-9-]{0,62}):(\/.*)$/.exec(spec);
  return match ? { id: match[1] as string, path: match[2] as string } : null;
}

async function copy(globals: GlobalFlags, source: string, target: string): Promise<void> {
  const from = splitRemote(source);
  const to = splitRemote(target);
  if ((from === null) === (to === null)) throw new Error('cp: exactly one side must be <sandbox-id>:/absolute/path');
  const sink = progressSink(Boolean(globals.progress));
  try {
    if (to) {
      const sandbox = Sandbox.attach(to.id, clientOptions(globals));
      const onProgress = transferReporter(sink, `upload ${source}`);
      if ((await stat(source)).isDirectory()) await sandbox.uploadDir(source, to.path, { onProgress });
      else await sandbox.upload(source, to.path, { onProgress });
    } else if (from) {
      const sandbox = Sandbox.attach(from.id, clientOptions(globals));
      const onProgress = transferReporter(sink, `download ${from.path}`);
      const probe = await sandbox.execute({ command: ['test', '-d', from.path] });
      if (probe.exitCode === 0) await sandbox.downloadDir(from.path, target, { onProgress });
      else await sandbox.download(from.path, target, { onProgress });
    }
  } finally {
    sink.done();
  }
}

/** `rock sandbox …`. */
export function sandboxCommand(globals: Globals): Command {
  const sandbox = new Command('sandbox').description('create, inspect, use and stop sandboxes');
  sandbox
    .command('create')
    .description('create a sandbox and wait until it runs; prints its id')
    .requiredOption('--image <image>', 'container image')
    .option('--id <sandbox-id>', 'choose the sandbox id')
    .option('--memory <size>', 'memory limit, e.g. 2g')
    .option('--cpus <n>', 'CPU limit', positiveNumber)
    .option('--env <KEY=VALUE>', 'environment variable (repeatable)', collectPair)
    .option('--metadata <KEY=VALUE>', 'label (repeatable)', collectPair)
    .option('--auto-clear-seconds <s>', 'stop after this idle time', positiveNumber)
    .option('--startup-timeout <s>', 'image pull + start budget', positiveNumber)
    .option('--json', 'print the full status as JSON')
    .action((flags: CreateFlags) => create(globals(), flags));
  sandbox
    .command('list')
    .description('list live sandboxes')
    .option('--filter <FIELD=VALUE>', 'exact match on a field, e.g. image=… (repeatable)', collectPair)
    .option('--metadata <KEY=VALUE>', 'exact match on a label (repeatable)', collectPair)
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) => list(globals(), flags));
  sandbox
    .command('status <sandbox-id>')
    .description('show a sandbox (also a stopped one)')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      const status = await Sandbox.attach(id, clientOptions(globals())).getStatus();
      if (flags.json) printJson(status);
      else process.stdout.write(`${describeStatus(status)}\n`);
    });
  sandbox
    .command('exec <sandbox-id> <command...>')
    .description('run a command (one argument = a shell line; several = argv; put options before `--`); exits with its exit code')
    .option('--cwd <dir>', 'working directory')
    .option('--env <KEY=VALUE>', 'environment variable (repeatable)', collectPair)
    .option('--timeout <s>', 'seconds', positiveNumber)
    .option('--json', 'print {stdout, stderr, exitCode} as JSON')
    .action((id: string, words: string[], flags: { json?: boolean }) => exec(globals(), id, words, flags));
  sandbox
    .command('shell <sandbox-id>')
    .description('line-mode shell: each line runs in one persistent bash session (no full-screen programs)')
    .action((id: string) => shell(globals(), id));
  sandbox
    .command('cp <source> <target>')
    .description('copy a file or directory: `cp ./local <id>:/path` uploads, `cp <id>:/path ./local` downloads (streamed)')
    .action((source: string, target: string) => copy(globals(), source, target));
  sandbox
    .command('stop <sandbox-id...>')
    .description('stop sandboxes and wait until they are gone')
    .action(async (ids: string[]) => {
      for (const id of ids) {
        await Sandbox.attach(id, clientOptions(globals())).stop();
        process.stdout.write(`${id} stopped\n`);
      }
    });
  return sandbox;
}
