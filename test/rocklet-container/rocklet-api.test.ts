/**
 * The real rocklet, started from the bundle inside containers of both test images (the bash image
 * and the busybox-only image with no libc), answering the API.md §5 routes on the bridge IP.
 */
import { RockletContainer, TEST_IMAGES, removeTestContainers, startRockletContainer, uniqueTestLabel } from '@rock/testing';

const runLabel = uniqueTestLabel('rocklet-api');
jest.setTimeout(60_000);

afterAll(async () => {
  await removeTestContainers(runLabel);
});

interface RunInSessionBody {
  output: string;
  exit_code: number | null;
  failure_reason: string;
}

describe.each([
  ['bash', TEST_IMAGES.bash],
  ['busybox', TEST_IMAGES.busybox],
])('rocklet from the bundle in the %s image', (_name, image) => {
  let rocklet: RockletContainer;

  beforeAll(async () => {
    rocklet = await startRockletContainer({ image, runLabel });
  });

  afterAll(async () => {
    await rocklet?.remove();
  });

  it('refuses requests without the bearer token or with a wrong one (401), /is_alive needs none', async () => {
    expect((await rocklet.post('/create_session', { session: 'nope' }, null)).status).toBe(401);
    expect((await rocklet.post('/create_session', { session: 'nope' }, 'wrong-token')).status).toBe(401);
    expect((await rocklet.get('/is_alive', null)).status).toBe(200);
  });

  it('runs `echo hello` in a session and keeps state between commands', async () => {
    const created = await rocklet.post('/create_session', { session: 's1', session_type: 'bash' });
    expect(created.status).toBe(200);
    const hello = await rocklet.post<RunInSessionBody>('/run_in_session', { session: 's1', command: 'echo hello', action_type: 'bash' });
    expect(hello).toMatchObject({ status: 200, body: { output: 'hello', exit_code: 0 } });
    await rocklet.post('/run_in_session', { session: 's1', command: 'cd /tmp && export ROCK_X=42', action_type: 'bash' });
    const state = await rocklet.post<RunInSessionBody>('/run_in_session', { session: 's1', command: 'echo "$PWD $ROCK_X"', action_type: 'bash' });
    expect(state.body).toMatchObject({ output: '/tmp 42', exit_code: 0 });
    const failing = await rocklet.post<RunInSessionBody>('/run_in_session', { session: 's1', command: 'false', check: 'silent', action_type: 'bash' });
    expect(failing.body.exit_code).toBe(1);
  });

  it('writes a file (creating parent directories) and reads the same content back', async () => {
    const path = `/tmp/rock-roundtrip/${Date.now()}/nested/file.txt`;
    const content = 'line one\nzweite Zeile: äöü ✓\n';
    const written = await rocklet.post('/write_file', { path, content });
    expect(written).toMatchObject({ status: 200, body: { success: true } });
    const read = await rocklet.post('/read_file', { path });
    expect(read).toEqual({ status: 200, body: { content } });
  });

  it('executes a command with the image userland and a clean environment', async () => {
    const result = await rocklet.post('/execute', { command: 'echo "LD=${LD_LIBRARY_PATH-unset}"; cat /etc/passwd | head -n 1', shell: true });
    expect(result).toMatchObject({
      status: 200,
      body: { stdout: 'LD=unset\nroot:x:0:0:root:/root:' + (image === TEST_IMAGES.bash ? '/bin/bash\n' : '/bin/sh\n'), exit_code: 0 },
    });
  });
});

describe('rocklet in the bash image', () => {
  it('spawns commands that load the image libc, never the bundle one', async () => {
    const rocklet = await startRockletContainer({ image: TEST_IMAGES.bash, runLabel });
    try {
      const probe = 'grep -o "/[^ ]*libc[.-][^ ]*so[^ ]*" /proc/$$/maps | sort -u';
      const result = await rocklet.post<{ stdout: string; exit_code: number }>('/execute', { command: probe, shell: true });
      expect(result.body.exit_code).toBe(0);
      const libcs = result.body.stdout.trim().split('\n');
      expect(libcs).toEqual([expect.stringMatching(/^\/(usr\/)?lib\/x86_64-linux-gnu\/libc\.so\.6$/)]);
    } finally {
      await rocklet.remove();
    }
  });
});
