/**
 * One read replica with API keys: ownership (another principal's sandbox is "not found", on Nest
 * routes and on the streaming/upgrade routes alike), and how rocklet failures are answered.
 */
import type { SandboxRegistry } from '@rock/registry';
import type { RockletProcess } from '@rock/testing';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { freePort } from '@rock/testing';
import { API, registerSandbox, startReadReplica, startReadTestBed, stopReadTestBed, uniquePrefix, type ReadReplica } from './read-harness';

jest.setTimeout(120_000);

const prefix = uniquePrefix('auth');
const id = `sbx-${randomBytes(4).toString('hex')}`;
const ALICE = { 'x-api-key': 'alice-key-0123456789' };
const BOB = { authorization: 'Bearer bob-key-0123456789ab' };
let registry: SandboxRegistry;
let rocklet: RockletProcess;
let replica: ReadReplica;

beforeAll(async () => {
  ({ registry, rocklet } = await startReadTestBed(prefix, { id, owner: 'alice' }));
  replica = await startReadReplica(prefix, { ROCK_API_KEYS: 'alice-key-0123456789:alice,bob-key-0123456789ab:bob' });
});

afterAll(() => stopReadTestBed(prefix, { registry, rocklet }, [replica]));

describe('ownership', () => {
  it('the owner reaches the sandbox; another principal is told it does not exist', async () => {
    const mine = await replica.post(`${API}/execute`, { sandbox_id: id, command: ['echo', 'hi'] }, ALICE);
    expect(mine.body).toMatchObject({ status: 'Success', result: { stdout: 'hi\n' } });
    const theirs = await replica.post(`${API}/execute`, { sandbox_id: id, command: ['echo', 'hi'] }, BOB);
    expect(theirs.body).toMatchObject({ status: 'Failed', error: `Sandbox ${id} not found`, result: { code: 4000 } });
    const status = await replica.get(`${API}/get_status?sandbox_id=${id}`, BOB);
    expect(status.body.error).toBe(`Sandbox ${id} not found`);
    expect((await replica.get(`${API}/sandboxes`, ALICE)).body.result.total).toBe(1);
    expect((await replica.get(`${API}/sandboxes`, BOB)).body.result).toEqual({ items: [], total: 0, has_more: false });
    expect((await replica.post(`${API}/sandboxes/batch`, { sandbox_ids: [id] }, BOB)).body.result).toEqual({ statuses: [] });
  });

  it('a request without a known key is refused (401 under X-Rock-Http-Status)', async () => {
    const none = await replica.get(`${API}/get_status?sandbox_id=${id}`, { 'x-rock-http-status': 'true' });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ status: 'Failed', result: { code: 4000 } });
    const wrong = await replica.post(`${API}/execute`, { sandbox_id: id, command: ['true'] }, { 'x-api-key': 'nope-nope-nope-nope' });
    expect(wrong.body).toMatchObject({ status: 'Failed', result: { code: 4000 } });
  });

  it('streaming and upgrade routes check the key and the owner too', async () => {
    const download = (headers: Record<string, string>) => replica.get(`${API}/download?sandbox_id=${id}&path=/etc/hostname`, headers);
    expect((await download({})).body).toMatchObject({ status: 'Failed', error: expect.stringContaining('API key') });
    expect((await download(BOB)).body).toMatchObject({ status: 'Failed', error: `Sandbox ${id} not found` });
    const proxied = await fetch(`${replica.url}${API}/sandboxes/${id}/proxy/port/8080/`, { headers: BOB, signal: AbortSignal.timeout(30_000) });
    expect(proxied.status).toBe(404);
    const upgrade = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${replica.url.replace('http', 'ws')}${API}/sandboxes/${id}/portforward?port=8080`, { headers, handshakeTimeout: 30_000 });
        socket.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          socket.terminate();
        });
        socket.once('open', () => reject(new Error('upgrade was accepted')));
        socket.once('error', () => undefined);
      });
    expect(await upgrade({})).toBe(401);
    expect(await upgrade(BOB)).toBe(404);
  });
});

describe('rocklet failures', () => {
  it('an unreachable rocklet: execute is 5000 with exit_code -1, run_in_session has result null, is_alive is false', async () => {
    const dead = `${id}-dead`;
    await registerSandbox(registry, { id: dead, rockletUrl: `http://127.0.0.1:${await freePort()}`, token: 't', owner: 'alice' });
    const exec = await replica.post(`${API}/execute`, { sandbox_id: dead, command: ['true'] }, ALICE);
    expect(exec.body).toMatchObject({ status: 'Failed', message: 'execute command failed', result: { code: 5000, exit_code: -1 } });
    expect(exec.body.result.failure_reason).toContain('unreachable');
    const run = await replica.post(`${API}/run_in_session`, { sandbox_id: dead, command: 'true' }, ALICE);
    expect(run.body).toMatchObject({ status: 'Failed', message: 'run in session failed', result: null });
    expect(run.body.error).toContain('unreachable');
    const alive = await replica.get(`${API}/is_alive?sandbox_id=${dead}`, ALICE);
    expect(alive.body).toMatchObject({ status: 'Success', result: { is_alive: false } });
  });

  it('a wrong sandbox token (rocklet 401) is a rocklet error, not a success', async () => {
    const wrong = `${id}-token`;
    await registerSandbox(registry, { id: wrong, rockletUrl: rocklet.url, token: 'not-the-token', owner: 'alice' });
    const exec = await replica.post(`${API}/execute`, { sandbox_id: wrong, command: ['true'] }, ALICE);
    expect(exec.body).toMatchObject({ status: 'Failed', result: { code: 5000, exit_code: -1 } });
    expect(exec.body.error).toContain('401');
  });

  it('a pending sandbox cannot run commands yet (4000, says why)', async () => {
    const pending = `${id}-pending`;
    await registerSandbox(registry, { id: pending, rockletUrl: null, token: null, owner: 'alice', running: false });
    const exec = await replica.post(`${API}/execute`, { sandbox_id: pending, command: ['true'] }, ALICE);
    expect(exec.body).toMatchObject({ status: 'Failed', error: `Sandbox ${pending} is pending; cannot run commands in it`, result: { code: 4000 } });
  });
});
