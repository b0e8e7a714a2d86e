import { existsSync } from 'node:fs';

/** Typed, frozen rocklet configuration. The only module that reads `process.env` and argv. */
export interface RockletConfig {
  readonly host: string;
  readonly port: number;
  /** null only when `--no-auth` was given explicitly. */
  readonly token: string | null;
  /** Per stream, for execute and run_in_session; head and tail halves are kept. */
  readonly maxOutputBytes: number;
  readonly maxReadFileBytes: number;
  readonly maxWriteFileBytes: number;
  readonly maxUploadBytes: number;
  /** Shell used by sessions: /bin/bash when present, else /bin/sh (ROCKLET_SHELL forces one). */
  readonly shell: string;
  /** run_in_session timeout when the request says null, seconds. */
  readonly defaultSessionTimeoutSec: number;
  /** Where command scripts for sessions are staged (must be readable by remote users). */
  readonly workDir: string;
  /** Environment handed to sessions and execute: the rocklet's own minus ROCKLET_* variables. */
  readonly childEnv: Readonly<Record<string, string>>;
  readonly logLevel: string;
  /** GEM word-list data (`ROCK_GEM_DATA_DIR`, GEM.md §3); null when unset (word games then fail make). */
  readonly gemDataDir: string | null;
  /** Largest `/env/*` JSON body (`ROCKLET_MAX_ENV_BODY_BYTES`): bounds a step's action. */
  readonly maxEnvBodyBytes: number;
}

export const USAGE = `Usage: rocklet [--host 0.0.0.0] [--port 22555] [--no-auth] [--help]

The ROCK sandbox agent. Environment:
  ROCKLET_TOKEN                 bearer token required on every route but /is_alive (required unless --no-auth)
  ROCKLET_MAX_OUTPUT_BYTES      cap per output stream of execute/run_in_session (default 1048576)
  ROCKLET_MAX_READ_FILE_BYTES   largest file read_file returns (default 104857600)
  ROCKLET_MAX_WRITE_FILE_BYTES  largest content write_file accepts (default 104857600)
  ROCKLET_MAX_UPLOAD_BYTES      largest upload (default 10737418240)
  ROCKLET_SHELL                 session shell (default /bin/bash if present, else /bin/sh)
  ROCKLET_SESSION_TIMEOUT       default run_in_session timeout in seconds (default 1200)
  ROCKLET_WORK_DIR              staging directory (default /tmp/rocklet)
  ROCKLET_LOG_LEVEL             pino level (default info)
  ROCKLET_MAX_ENV_BODY_BYTES    largest /env/* request body, e.g. a step's action (default 4194304)
  ROCK_GEM_DATA_DIR             GEM word-list data directory for /env/make of word games
`;

/** Thrown for bad flags or variables; the message lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid rocklet configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export type CliOutcome = { kind: 'help' } | { kind: 'run'; config: RockletConfig };

interface Flags {
  host: string;
  port: string;
  noAuth: boolean;
  help: boolean;
}

function parseFlags(argv: readonly string[], problems: string[]): Flags {
  const flags: Flags = { host: '0.0.0.0', port: '22555', noAuth: false, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [name, inline] = arg.split('=', 2);
    if (name === '--help' || name === '-h') flags.help = true;
    else if (name === '--no-auth') flags.noAuth = true;
    else if (name === '--host' || name === '--port') {
      const value = inline ?? argv[(i += 1)];
      if (value === undefined) problems.push(`${name}: needs a value`);
      else flags[name === '--host' ? 'host' : 'port'] = value;
    } else problems.push(`${arg}: unknown argument`);
  }
  return flags;
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[], min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    problems.push(`${name}: must be an integer >= ${min}, got '${raw}'`);
    return fallback;
  }
  return value;
}

function childEnvOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !k.startsWith('ROCKLET_')) out[k] = v;
  if (!out.PATH) out.PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  return out;
}

/** Parses argv (without node and script) and the environment; throws {@link ConfigError}. */
export function loadRockletConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOutcome {
  const problems: string[] = [];
  const flags = parseFlags(argv, problems);
  if (flags.help) return { kind: 'help' };
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--port: must be 0..65535, got '${flags.port}'`);
  const token = env.ROCKLET_TOKEN ?? '';
  if (!flags.noAuth && token === '') problems.push('ROCKLET_TOKEN: required unless --no-auth is given');
  const shell = env.ROCKLET_SHELL || (existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh');
  if (env.ROCKLET_SHELL && !existsSync(env.ROCKLET_SHELL)) problems.push(`ROCKLET_SHELL: '${env.ROCKLET_SHELL}' does not exist`);
  const config: RockletConfig = {
    host: flags.host,
    port,
    token: flags.noAuth ? null : token,
    maxOutputBytes: intVar(env, 'ROCKLET_MAX_OUTPUT_BYTES', 1024 * 1024, problems, 64),
    maxReadFileBytes: intVar(env, 'ROCKLET_MAX_READ_FILE_BYTES', 100 * 1024 * 1024, problems),
    maxWriteFileBytes: intVar(env, 'ROCKLET_MAX_WRITE_FILE_BYTES', 100 * 1024 * 1024, problems),
    maxUploadBytes: intVar(env, 'ROCKLET_MAX_UPLOAD_BYTES', 10 * 1024 ** 3, problems),
    shell,
    defaultSessionTimeoutSec: intVar(env, 'ROCKLET_SESSION_TIMEOUT', 1200, problems),
    workDir: env.ROCKLET_WORK_DIR || '/tmp/rocklet',
    childEnv: Object.freeze(childEnvOf(env)),
    logLevel: env.ROCKLET_LOG_LEVEL || 'info',
    gemDataDir: env.ROCK_GEM_DATA_DIR || null,
    maxEnvBodyBytes: intVar(env, 'ROCKLET_MAX_ENV_BODY_BYTES', 4 * 1024 * 1024, problems, 1024),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return { kind: 'run', config: Object.freeze(config) };
}
