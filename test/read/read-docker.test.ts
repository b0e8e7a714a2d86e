/**
 * The read service in front of real containers (bash and busybox-only test images, the rocklet
 * bundle mounted), registered directly in the registry: commands, sessions, files and the proxy /
 * port forward to a server started inside the container.
 */
import { SandboxRegistry } from '@rock/registry';
import { bundledNodeCommand, removeTestContainers, startRockletContainer, TEST_IMAGES, uniqueTestLabel, type RockletContainer } from '@rock/testing';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { API, buildDist, dropPrefix, registerSandbox, REDIS_URL, startReadReplica, uniquePrefix, type ReadReplica } from './read-harness';

jest.setTimeout(180_000);

const prefix = uniquePrefix('docker');
const runLabel = uniqueTestLabel('read-docker');
let registry: SandboxRegistry;
let replicas: ReadReplica[] = [];

beforeAll(async () => {
  await buildDist();
  registry = SandboxRegistry.connect(REDIS_URL, { prefix });
  replicas = await Promise.all([startReadReplica(prefix), startReadReplica(prefix)]);
});

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await removeTestContainers(runLabel);
  await registry?.close();
  await dropPrefix(prefix);
});

const APP_PORT = 8000;
const APP = `require('http').createServer((q, s) => s.end('in-container ' + q.method + ' ' + q.url)).listen(${APP_PORT}, '127.0.0.1');`;

describe.each([
  ['bash', TEST_IMAGES.bash],
  ['busybox', TEST_IMAGES.busybox],
])('a %s container behind two replicas', (name, image) => {
  const id = `sbx-${name}-${randomBytes(3).toString('hex')}`;
  let container: RockletContainer;

  beforeAll(async () => {
    const env = { ROCK_FROM_CREATE: 'create', ROCK_SHARED: 'create' };
    container = await startRockletContainer({ image, runLabel, env, readyDeadlineMs: 60_000 });
    await registerSandbox(registry, { id, rockletUrl: container.baseUrl, token: container.token, env, image });
  });

  afterAll(async () => {
    await container?.remove();
  });

  it('executes with the create-time env under the call env, the same on both replicas', async () => {
    const body = { sandbox_id: id, command: 'echo "$ROCK_FROM_CREATE $ROCK_SHARED"', shell: true, env: { ROCK_SHARED: 'call' } };
    const answers = await Promise.all(replicas.map((r) => r.post(`${API}/execute`, body)));
    expect(answers.map((a) => a.body)).toEqual([0, 1].map(() => ({ status: 'Success', message: null, error: null, result: { stdout: 'create call\n', stderr: '', exit_code: 0 } })));
  });

  it('runs a session across replicas and writes/reads files', async () => {
    expect((await replicas[0]!.post(`${API}/create_session`, { sandbox_id: id, session: 'main' })).body.status).toBe('Success');
    await replicas[0]!.post(`${API}/run_in_session`, { sandbox_id: id, session: 'main', command: 'cd /tmp && X=5' });
    const state = await replicas[1]!.post(`${API}/run_in_session`, { sandbox_id: id, session: 'main', command: 'echo "$PWD $X"' });
    expect(state.body).toMatchObject({ status: 'Success', result: { output: '/tmp 5', exit_code: 0 } });
    await replicas[1]!.post(`${API}/write_file`, { sandbox_id: id, path: '/tmp/app.js', content: APP });
    const read = await replicas[0]!.post(`${API}/read_file`, { sandbox_id: id, path: '/tmp/app.js' });
    expect(read.body.result).toEqual({ content: APP });
  });

  it('proxies HTTP and forwards TCP to a server started inside the container', async () => {
    const node = bundledNodeCommand(['/tmp/app.js']).join(' ');
    const started = await replicas[0]!.post(`${API}/execute`, { sandbox_id: id, command: `${node} >/tmp/app.log 2>&1 </dev/null &`, shell: true });
    expect(started.body).toMatchObject({ status: 'Success', result: { exit_code: 0 } });
    const url = `${replicas[1]!.url}${API}/sandboxes/${id}/proxy/port/${APP_PORT}/inside?q=1`;
    let answer = '';
    const deadline = Date.now() + 30_000;
    while (!answer.startsWith('in-container') && Date.now() < deadline) {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
      answer = response?.status === 200 ? await response.text() : '';
      if (!answer) await new Promise((r) => setTimeout(r, 200));
    }
    expect(answer).toBe('in-container GET /inside?q=1');
    const socket = new WebSocket(`${replicas[0]!.url.replace('http', 'ws')}${API}/sandboxes/${id}/portforward?port=${APP_PORT}`, { handshakeTimeout: 30_000 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    let raw = '';
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('message', (data: Buffer) => (raw += data.toString()));
    socket.send(Buffer.from('GET /raw HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
    await closed;
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*in-container GET \/raw$/);
  });
});
