/**
 * Streaming through two read replicas (real processes from dist/): a 100 MB upload and download
 * with bounded replica memory, the HTTP/SSE/WebSocket reverse proxy and the TCP port forward to
 * apps in the sandbox, and GEM reset/step forwarded to the rocklet's env.
 */
import { SandboxRegistry } from '@rock/registry';
import { startRocklet, type RockletProcess } from '@rock/testing';
import { createHash, randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { API, buildDist, dropPrefix, registerSandbox, REDIS_URL, startReadReplica, uniquePrefix, type ReadReplica } from './read-harness';
import { startEchoServer, startSandboxApp, type SandboxApp } from './sandbox-apps';

jest.setTimeout(180_000);

const prefix = uniquePrefix('streams');
const id = `sbx-${randomBytes(4).toString('hex')}`;
let registry: SandboxRegistry;
let rocklet: RockletProcess;
let replicas: ReadReplica[] = [];
let app: SandboxApp;

beforeAll(async () => {
  buildDist();
  registry = SandboxRegistry.connect(REDIS_URL, { prefix });
  [rocklet, app] = await Promise.all([startRocklet({ readyTimeoutMs: 60_000 }), startSandboxApp()]);
  await registerSandbox(registry, { id, rockletUrl: rocklet.url, token: rocklet.token });
  replicas = await Promise.all([startReadReplica(prefix), startReadReplica(prefix)]);
});

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await Promise.all([rocklet?.stop(), app?.close()]);
  await registry?.close();
  await dropPrefix(prefix);
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
