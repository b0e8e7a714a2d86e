/**
 * Streaming through two read replicas (real processes from dist/): a 100 MB upload and download
 * with bounded replica memory, the HTTP/SSE/WebSocket reverse proxy and the TCP port forward to
 * apps in the sandbox, and GEM reset/step forwarded to the rocklet's env.
 */
import type { SandboxRegistry } from '@rock/registry';
import type { RockletProcess } from '@rock/testing';
import { createHash, randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { API, startReadReplica, startReadTestBed, stopReadTestBed, uniquePrefix, type ReadReplica } from './read-harness';
import { startEchoServer, startSandboxApp, type SandboxApp } from './sandbox-apps';

jest.setTimeout(180_000);

const prefix = uniquePrefix('streams');
const id = `sbx-${randomBytes(4).toString('hex')}`;
let registry: SandboxRegistry;
let rocklet: RockletProcess;
let replicas: ReadReplica[] = [];
let app: SandboxApp;

beforeAll(async () => {
  [{ registry, rocklet }, app] = await Promise.all([startReadTestBed(prefix, { id }), startSandboxApp()]);
  replicas = await Promise.all([startReadReplica(prefix), startReadReplica(prefix)]);
});

afterAll(async () => {
  await app?.close();
  await stopReadTestBed(prefix, { registry, rocklet }, replicas);
});

const MB = 1024 * 1024;

/** A multipart body (fields first, as ROCK's SDK sends them) whose file part is generated on the fly. */
function multipartUpload(fields: Record<string, string>, chunk: Buffer, count: number): { body: ReadableStream<Uint8Array>; type: string } {
  const boundary = `b-${randomBytes(8).toString('hex')}`;
  const head = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const pieces: (() => Buffer)[] = [
    () => Buffer.from(`${head}--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`),
    ...Array.from({ length: count }, () => () => chunk),
    () => Buffer.from(`\r\n--${boundary}--\r\n`),
  ];
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = pieces[i++];
      if (next) controller.enqueue(next());
      else controller.close();
    },
  });
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

describe('upload and download', () => {
  /** Uploads `count` MB of `chunk` through `up`, downloads through `down`; returns the downloaded sha256. */
  async function roundTrip(up: ReadReplica, down: ReadReplica, path: string, chunk: Buffer, count: number): Promise<string> {
    const { body, type } = multipartUpload({ sandbox_id: id, target_path: path }, chunk, count);
    const uploaded = await fetch(`${up.url}${API}/upload`, {
      method: 'POST', body, headers: { 'content-type': type }, duplex: 'half', signal: AbortSignal.timeout(150_000),
    } as RequestInit);
    expect(await uploaded.json()).toEqual({ status: 'Success', message: null, error: null, result: { success: true, message: '', file_name: path } });
    const response = await fetch(`${down.url}${API}/download?sandbox_id=${id}&path=${encodeURIComponent(path)}`, { signal: AbortSignal.timeout(150_000) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-length')).toBe(String(count * MB));
    const actual = createHash('sha256');
    let bytes = 0;
    for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
      actual.update(piece);
      bytes += piece.length;
    }
    expect(bytes).toBe(count * MB);
    return actual.digest('hex');
  }

  it('streams 100 MB up through one replica and down through the other with bounded memory', async () => {
    const chunk = randomBytes(MB);
    const expected = createHash('sha256');
    for (let i = 0; i < 100; i++) expected.update(chunk);
    const [up, down] = replicas as [ReadReplica, ReadReplica];
    // Warm-up: load the multipart/undici code paths, so the peak below measures the transfer only.
    await roundTrip(up, down, `/tmp/rock-read-${id}/warm.bin`, chunk, 8);
    const rssBefore = [up.peakRssBytes(), down.peakRssBytes()];
    const started = Date.now();
    expect(await roundTrip(up, down, `/tmp/rock-read-${id}/big.bin`, chunk, 100)).toBe(expected.digest('hex'));
    const seconds = (Date.now() - started) / 1000;
    const growth = [up.peakRssBytes() - rssBefore[0]!, down.peakRssBytes() - rssBefore[1]!];
    process.stdout.write(
      `100 MB up+down in ${seconds.toFixed(1)} s; replica peak RSS growth: upload ${(growth[0]! / MB).toFixed(1)} MB, download ${(growth[1]! / MB).toFixed(1)} MB\n`,
    );
    // Buffering the file whole would add at least 100 MB.
    expect(growth[0]).toBeLessThan(60 * MB);
    expect(growth[1]).toBeLessThan(60 * MB);
  });

  it('a missing file is 4000; an upload without a file or sandbox id names the field', async () => {
    const missing = await replicas[0]!.get(`${API}/download?sandbox_id=${id}&path=/tmp/none-${id}`);
    expect(missing.body).toMatchObject({ status: 'Failed', message: 'download file failed', result: { code: 4000 } });
    const form = new FormData();
    form.set('target_path', '/tmp/x');
    const noFile = await fetch(`${replicas[1]!.url}${API}/upload`, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
    const answer = (await noFile.json()) as { message: string; error: string };
    expect(answer).toMatchObject({ status: 'Failed', message: 'invalid parameter' });
    expect(answer.error).toContain('sandbox_id: is required');
    expect(answer.error).toContain('file: a multipart part named "file" is required');
  });

  it('a small upload with unknown sandbox is 4000 not found', async () => {
    const form = new FormData();
    form.set('sandbox_id', 'ghost-up');
    form.set('target_path', '/tmp/x');
    form.set('file', new Blob(['hi']), 'x.txt');
    const answer = await fetch(`${replicas[0]!.url}${API}/upload`, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
    expect(await answer.json()).toMatchObject({ status: 'Failed', error: 'Sandbox ghost-up not found', result: { code: 4000 } });
  });
});

describe('HTTP reverse proxy', () => {
  const proxyBase = (r: ReadReplica): string => `${r.url}${API}/sandboxes/${id}/proxy`;

  it('reaches the app by /port/N, header or query, the same through both replicas', async () => {
    const viaPath = await fetch(`${proxyBase(replicas[0]!)}/port/${app.port}/hello?x=1`, { signal: AbortSignal.timeout(30_000) });
    expect(viaPath.status).toBe(200);
    expect(viaPath.headers.get('x-app')).toBe('yes');
    const a = await viaPath.json();
    const viaHeader = await fetch(`${proxyBase(replicas[1]!)}/hello?x=1`, { headers: { 'x-rock-target-port': String(app.port) }, signal: AbortSignal.timeout(30_000) });
    const viaQuery = await fetch(`${proxyBase(replicas[1]!)}/hello?x=1&rock_target_port=${app.port}`, { signal: AbortSignal.timeout(30_000) });
    expect(a).toEqual({ method: 'GET', url: '/hello?x=1', host: `127.0.0.1:${app.port}`, apiKey: null, body: '' });
    expect(await viaHeader.json()).toEqual(a);
    expect(await viaQuery.json()).toEqual(a);
  });

  it('streams request bodies and passes the app status through', async () => {
    const posted = await fetch(`${proxyBase(replicas[0]!)}/port/${app.port}/echo`, {
      method: 'POST', body: 'x'.repeat(300_000), headers: { 'content-type': 'text/plain', 'x-api-key': 'not-for-the-app' },
      signal: AbortSignal.timeout(30_000),
    });
    const echoed = (await posted.json()) as { method: string; body: string; apiKey: string | null };
    expect(echoed).toMatchObject({ method: 'POST', apiKey: null });
    expect(echoed.body.length).toBe(300_000);
    const missing = await fetch(`${proxyBase(replicas[1]!)}/port/${app.port}/missing`, { signal: AbortSignal.timeout(30_000) });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-app')).toBe('yes');
  });

  it('delivers SSE events as they are sent, before the response ends', async () => {
    const response = await fetch(`${proxyBase(replicas[0]!)}/port/${app.port}/sse`, { signal: AbortSignal.timeout(30_000) });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('data: first\n\n');
    app.releaseSecondEvent();
    let rest = '';
    for (let next = await reader.read(); !next.done; next = await reader.read()) rest += Buffer.from(next.value).toString();
    expect(rest).toBe('data: second\n\n');
  });

  it('answers 400 for two port sources, no port, or a forbidden port', async () => {
    const two = await fetch(`${proxyBase(replicas[0]!)}/port/${app.port}/hello?rock_target_port=${app.port}`, { signal: AbortSignal.timeout(30_000) });
    expect(two.status).toBe(400);
    expect(((await two.json()) as { error: string }).error).toContain('give exactly one of');
    const none = await fetch(`${proxyBase(replicas[1]!)}/hello`, { signal: AbortSignal.timeout(30_000) });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: string }).error).toContain('target port required');
    const ssh = await fetch(`${proxyBase(replicas[1]!)}/hello`, { headers: { 'x-rock-target-port': '22' }, signal: AbortSignal.timeout(30_000) });
    expect(ssh.status).toBe(400);
    expect(((await ssh.json()) as { error: string }).error).toContain('x-rock-target-port: ');
  });

  it('upgrades WebSockets through the proxy', async () => {
    const url = `${proxyBase(replicas[1]!).replace('http', 'ws')}/port/${app.port}/ws`;
    const socket = new WebSocket(url, { handshakeTimeout: 30_000 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send('ping');
    expect(await reply).toBe('echo:ping');
    socket.close();
  });
});

describe('port forward', () => {
  it('bridges raw TCP over the WebSocket to a port in the sandbox', async () => {
    const echo = await startEchoServer();
    try {
      const socket = new WebSocket(`${replicas[0]!.url.replace('http', 'ws')}${API}/sandboxes/${id}/portforward?port=${echo.port}`, { handshakeTimeout: 30_000 });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const payload = randomBytes(200_000);
      const received: Buffer[] = [];
      const done = new Promise<void>((resolve) => {
        socket.on('message', (data: Buffer) => {
          received.push(data);
          if (Buffer.concat(received).length >= payload.length) resolve();
        });
      });
      socket.send(payload);
      await done;
      expect(Buffer.concat(received).equals(payload)).toBe(true);
      socket.close();
    } finally {
      await echo.close();
    }
  });

  it('refuses port 22, ports below 1024 and unknown sandboxes before upgrading', async () => {
    const refusal = (path: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`${replicas[1]!.url.replace('http', 'ws')}${path}`, { handshakeTimeout: 30_000 });
        socket.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          socket.terminate();
        });
        socket.once('open', () => reject(new Error('upgrade was accepted')));
        socket.once('error', () => undefined);
      });
    expect(await refusal(`${API}/sandboxes/${id}/portforward?port=22`)).toBe(400);
    expect(await refusal(`${API}/sandboxes/${id}/portforward?port=80`)).toBe(400);
    expect(await refusal(`${API}/sandboxes/ghost-pf/portforward?port=8080`)).toBe(404);
  });
});

describe('GEM routes', () => {
  const gem = (r: ReadReplica, route: string, body: unknown) => r.post<Record<string, unknown>>(`/apis/v1/envs/gem/${route}`, body);

  it('forwards reset and step to the env in the sandbox, through either replica', async () => {
    const made = await rocklet.post('/env/make', { env_id: 'game:GuessTheNumber-v0-easy', seed: 1 });
    expect(made.status).toBe(200);
    const reset = await gem(replicas[0]!, 'reset', { sandbox_id: id, seed: 7 });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ observation: expect.any(String), info: expect.any(Object) });
    const step = await gem(replicas[1]!, 'step', { sandbox_id: id, action: '\\boxed{1}' });
    expect(step.status).toBe(200);
    expect(step.body).toMatchObject({ observation: expect.any(String), reward: expect.any(Number), terminated: expect.any(Boolean), truncated: expect.any(Boolean) });
    const listed = await gem(replicas[0]!, 'list', { sandbox_id: id });
    expect(listed.status).toBe(200);
  });

  it('answers bare {detail} errors: unknown sandbox 404, bad body 400; list without a sandbox', async () => {
    const unknown = await gem(replicas[0]!, 'step', { sandbox_id: 'ghost-gem', action: 'x' });
    expect(unknown).toEqual({ status: 404, body: { detail: 'Sandbox ghost-gem not found' } });
    const bad = await gem(replicas[1]!, 'step', { sandbox_id: id });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/^action: /);
    const all = await gem(replicas[1]!, 'list', {});
    expect(all.body.env_id).toEqual(expect.arrayContaining(['game:GuessTheNumber-v0-easy']));
  });
});
