import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, openAsBlob, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { startRocklet, type RockletProcess } from '@rock/testing';

type RockletErr = { rockletexception: { message: string; class_path: string } };
const MiB = 1024 * 1024;

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function writeRandomFile(path: string, mib: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for (let i = 0; i < mib; i += 1) await handle.write(randomBytes(MiB));
  } finally {
    await handle.close();
  }
}

function zipOf(entries: Record<string, string>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(entries)) {
    if (name.endsWith('/')) zip.addEmptyDirectory(name);
    else zip.addBuffer(Buffer.from(content), name);
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

describe('rocklet files', () => {
  let rocklet: RockletProcess;
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'rocklet-files-'));
    rocklet = await startRocklet({ env: { ROCKLET_MAX_READ_FILE_BYTES: String(MiB) } });
  });
  afterAll(async () => {
    await rocklet?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const upload = (form: FormData) => rocklet.request('/upload', { method: 'POST', body: form });

  it('writes a file creating parent directories, and reads it back', async () => {
    const path = join(scratch, 'a', 'b', 'c.txt');
    expect(await rocklet.post('/write_file', { sandbox_id: 'x', path, content: 'héllo\n🌍' })).toEqual({
      status: 200,
      body: { success: true, message: '' },
    });
    expect(readFileSync(path, 'utf8')).toBe('héllo\n🌍');
    expect(await rocklet.post('/read_file', { path })).toEqual({ status: 200, body: { content: 'héllo\n🌍' } });
  });

  it('decodes per encoding and errors', async () => {
    const path = join(scratch, 'latin.bin');
    writeFileSync(path, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const strict = await rocklet.post<RockletErr>('/read_file', { path });
    expect(strict.body.rockletexception.class_path).toBe('rocklet.FileDecodeError');
    expect((await rocklet.post('/read_file', { path, encoding: 'latin-1' })).body).toEqual({ content: 'café' });
    expect((await rocklet.post('/read_file', { path, errors: 'replace' })).body).toEqual({ content: 'caf\uFFFD' });
    expect((await rocklet.post('/read_file', { path, encoding: 'base64' })).body).toEqual({ content: 'Y2Fm6Q==' });
  });

  it('names a missing file, a file over the read limit, and bad fields', async () => {
    const missing = await rocklet.post<RockletErr>('/read_file', { path: join(scratch, 'nope') });
    expect(missing.body.rockletexception).toMatchObject({ class_path: 'rocklet.FileNotFound' });
    const big = join(scratch, 'big.txt');
    writeFileSync(big, Buffer.alloc(MiB + 1, 97));
    const tooBig = await rocklet.post<RockletErr>('/read_file', { path: big });
    expect(tooBig.body.rockletexception.class_path).toBe('rocklet.FileTooLarge');
    expect(tooBig.body.rockletexception.message).toMatch(/over the limit of 1048576 bytes/);
    const bad = await rocklet.post<RockletErr>('/write_file', { path: 'relative.txt' });
    expect(bad.body.rockletexception.message).toMatch(/path: must be an absolute path; content: /);
  });

  it('round-trips a 200 MB binary upload and download byte-exact with bounded rocklet memory', async () => {
    const source = join(scratch, 'source.bin');
    await writeRandomFile(source, 200);
    const expected = await sha256OfFile(source);
    const target = join(scratch, 'up', 'dir', 'copy.bin');
    const form = new FormData();
    form.set('sandbox_id', 'x');
    form.set('target_path', target);
    form.set('file', await openAsBlob(source), 'source.bin');
    const res = await upload(form);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, message: '', file_name: target });
    expect(statSync(target).size).toBe(200 * MiB);
    expect(await sha256OfFile(target)).toBe(expected);

    const down = await rocklet.request(`/download?sandbox_id=x&path=${encodeURIComponent(target)}`);
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('application/octet-stream');
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of down.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    expect(bytes).toBe(200 * MiB);
    expect(hash.digest('hex')).toBe(expected);
    const peak = rocklet.peakRssBytes();
    process.stdout.write(`rocklet VmHWM after 200 MB upload+download: ${(peak / MiB).toFixed(1)} MiB\n`);
    expect(peak).toBeLessThan(200 * MiB);
  }, 180_000);

  it('accepts the file part before target_path (staged, then moved)', async () => {
    const target = join(scratch, 'late', 'target.txt');
    const body = [
      '--XBOUNDARY',
      'Content-Disposition: form-data; name="file"; filename="t.txt"',
      'Content-Type: application/octet-stream',
      '',
      'late target',
      '--XBOUNDARY',
      'Content-Disposition: form-data; name="target_path"',
      '',
      target,
      '--XBOUNDARY--',
      '',
    ].join('\r\n');
    const res = await rocklet.request('/upload', {
      method: 'POST',
      body,
      headers: { 'content-type': 'multipart/form-data; boundary=XBOUNDARY' },
    });
    expect(res.status).toBe(200);
    expect(readFileSync(target, 'utf8')).toBe('late target');
  });

  it('extracts an uploaded zip into the target directory', async () => {
    const zip = await zipOf({ 'top.txt': 'top', 'nested/deep/file.txt': 'deep', 'nested/empty/': '' });
    const form = new FormData();
    form.set('target_path', join(scratch, 'unzipped'));
    form.set('unzip', 'true');
    form.set('file', new Blob([zip]), 'archive.zip');
    const res = await upload(form);
    expect(res.status).toBe(200);
    expect(readFileSync(join(scratch, 'unzipped', 'top.txt'), 'utf8')).toBe('top');
    expect(readFileSync(join(scratch, 'unzipped', 'nested', 'deep', 'file.txt'), 'utf8')).toBe('deep');
    expect(statSync(join(scratch, 'unzipped', 'nested', 'empty')).isDirectory()).toBe(true);
  });

  it('refuses a zip entry that escapes the target directory, and a body that is not a zip', async () => {
    mkdirSync(join(scratch, 'slip'), { recursive: true });
    const form = new FormData();
    form.set('target_path', join(scratch, 'slip', 'inner'));
    form.set('unzip', 'true');
    // yazl refuses to write '../' names, so rename the entry in the archive bytes (same length).
    const evil = Buffer.from((await zipOf({ 'xx/escaped.txt': 'x' })).toString('latin1').replaceAll('xx/escaped', '../escaped'), 'latin1');
    form.set('file', new Blob([evil]), 'evil.zip');
    const res = await upload(form);
    expect(res.status).toBe(511);
    expect(((await res.json()) as RockletErr).rockletexception.message).toMatch(/outside the target directory|invalid relative path: \.\.\/escaped/);
    expect(() => statSync(join(scratch, 'slip', 'escaped.txt'))).toThrow();
    const notZip = new FormData();
    notZip.set('target_path', join(scratch, 'slip', 'other'));
    notZip.set('unzip', 'true');
    notZip.set('file', new Blob(['plain text']), 'x.zip');
    const res2 = await upload(notZip);
    expect(((await res2.json()) as RockletErr).rockletexception.message).toMatch(/^file: not a valid zip archive/);
  });

  it('answers a clear error for a missing download and an upload without a file', async () => {
    const res = await rocklet.request(`/download?path=${encodeURIComponent(join(scratch, 'absent'))}`);
    expect(res.status).toBe(511);
    expect(((await res.json()) as RockletErr).rockletexception.class_path).toBe('rocklet.FileNotFound');
    const form = new FormData();
    form.set('target_path', join(scratch, 'x'));
    const res2 = await upload(form);
    expect(((await res2.json()) as RockletErr).rockletexception.message).toMatch(/file: a multipart part named "file" is required/);
  });
});

describe('rocklet upload limit', () => {
  it('rejects an upload over ROCKLET_MAX_UPLOAD_BYTES and leaves no partial file', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'rocklet-limit-'));
    const rocklet = await startRocklet({ env: { ROCKLET_MAX_UPLOAD_BYTES: String(MiB) } });
    try {
      const form = new FormData();
      form.set('target_path', join(scratch, 'big.bin'));
      form.set('file', new Blob([Buffer.alloc(2 * MiB)]), 'big.bin');
      const res = await rocklet.request('/upload', { method: 'POST', body: form });
      expect(res.status).toBe(511);
      const body = (await res.json()) as RockletErr;
      expect(body.rockletexception).toMatchObject({ class_path: 'rocklet.FileTooLarge' });
      expect(body.rockletexception.message).toMatch(/exceeds the limit of 1048576 bytes/);
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      await rocklet.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
