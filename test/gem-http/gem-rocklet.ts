import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { startRocklet, type AsyncGoldenEnv, type RockletProcess } from '@rock/testing';

/** `../shared/gem-data` resolved from the repository root (this file is test/gem-http/). */
export const GEM_DATA_DIR = resolve(__dirname, '..', '..', '..', 'shared', 'gem-data');

/** Budget of one env call; a hard Sokoban reset on a loaded 2-core box takes well under this. */
const CALL_TIMEOUT_MS = 30_000;

export interface EnvAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * A real rocklet process serving GEM envs, driven over one keep-alive connection (node:http; the
 * installed undici 8 does not load on Node 20).
 */
export interface GemRocklet {
  readonly rocklet: RockletProcess;
  /** POST /env/<route> with a JSON body (or raw text); resolves with status and parsed JSON. */
  post(route: string, body: unknown, raw?: boolean): Promise<EnvAnswer>;
  /** Golden-replay adapter: every non-200 answer throws with its detail. */
  readonly env: AsyncGoldenEnv;
  stop(): Promise<void>;
}

function postJson(agent: Agent, port: number, path: string, payload: string, authorization: string): Promise<EnvAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization };
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers, timeout: CALL_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolveAnswer({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
        } catch {
          reject(new Error(`${path} answered ${res.statusCode} with non-JSON: ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within ${CALL_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function startGemRocklet(env: Record<string, string> = {}): Promise<GemRocklet> {
  const rocklet = await startRocklet({ env: { ROCK_GEM_DATA_DIR: GEM_DATA_DIR, ...env }, readyTimeoutMs: 60_000 });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const authorization = `Bearer ${rocklet.token ?? ''}`;
  const post = (route: string, body: unknown, raw = false): Promise<EnvAnswer> =>
    postJson(agent, rocklet.port, `/env/${route}`, raw ? String(body) : JSON.stringify(body), authorization);
  const ok = async (route: string, body: unknown): Promise<Record<string, unknown>> => {
    const answer = await post(route, body);
    if (answer.status !== 200) throw new Error(`/env/${route} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  return {
    rocklet,
    post,
    env: {
      make: async (envId) => void (await ok('make', { env_id: envId })),
      reset: (seed) => ok('reset', { seed }) as ReturnType<AsyncGoldenEnv['reset']>,
      step: (action) => ok('step', { action }) as ReturnType<AsyncGoldenEnv['step']>,
    },
    async stop() {
      agent.destroy();
      await rocklet.stop();
    },
  };
}
