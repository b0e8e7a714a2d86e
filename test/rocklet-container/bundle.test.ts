/**
 * The portable rocklet bundle (dist/rocklet-runtime) inside real containers of the test images:
 * the bundled loader starts node with no libc in the image, node-pty runs a PTY shell, and
 * processes started from the bundled node use the image's own libc (no LD_LIBRARY_PATH leak).
 */
import {
  TEST_IMAGES,
  TEST_LABEL,
  bundledNodeCommand,
  dockerForTests,
  removeTestContainers,
  runInTestImage,
  startRockletContainer,
  uniqueTestLabel,
} from '@rock/testing';

const runLabel = uniqueTestLabel('rocklet-bundle');
jest.setTimeout(60_000);

afterAll(async () => {
  await removeTestContainers(runLabel);
});

/** Prints the env var and the libc the spawned /bin/sh has mapped, from inside the image. */
const SPAWN_PROBE = `
const { execFileSync } = require('node:child_process');
const script = 'echo "LD=\${LD_LIBRARY_PATH-unset}"; grep -o "/[^ ]*libc[.-][^ ]*so[^ ]*" /proc/$$/maps | sort -u';
process.stdout.write(execFileSync('/bin/sh', ['-c', script]).toString());
`;

/** Runs a PTY shell through the bundled node-pty and exits with the shell's exit code. */
const PTY_PROBE = `
const pty = require('/rock/node_modules/node-pty');
const p = pty.spawn('/bin/sh', ['-c', 'echo pty-says-$((6*7)); tty'], { cols: 80, rows: 24, cwd: '/tmp', env: { PATH: '/usr/bin:/bin' } });
let out = '';
p.onData((d) => { out += d; });
p.onExit(({ exitCode }) => { process.stdout.write(out); process.exit(exitCode); });
`;

describe('test images', () => {
  it('the busybox image holds no dynamic loader and no libc, only busybox', async () => {
    const probe = 'find / -xdev \\( -name "ld-linux*" -o -name "libc.so*" -o -name "ld-musl*" \\) -print; echo "files=$(find / -xdev -type f | wc -l)"';
    const result = await runInTestImage(TEST_IMAGES.busybox, ['/bin/sh', '-c', probe], runLabel);
    expect(result.exitCode).toBe(0);
    // The root filesystem only: /rock (the bundle mount) is another device, excluded by -xdev.
    expect(result.stdout.trim()).toMatch(/^files=\d+$/);
  });
});

describe.each([
  ['bash', TEST_IMAGES.bash],
  ['busybox', TEST_IMAGES.busybox],
])('rocklet bundle in the %s image', (_name, image) => {
  it('answers /is_alive on the bridge IP, started by the exec-form command', async () => {
    const rocklet = await startRockletContainer({ image, runLabel });
    try {
      const alive = await rocklet.get('/is_alive', null);
      expect(alive).toEqual({ status: 200, body: { is_alive: true, message: '' } });
      expect(rocklet.readyMs).toBeLessThan(10_000);
    } finally {
      await rocklet.remove();
    }
  });

  it('runs a PTY shell through the bundled node-pty', async () => {
    const result = await runInTestImage(image, bundledNodeCommand(['-e', PTY_PROBE]), runLabel);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('pty-says-42');
    expect(result.stdout).toMatch(/\/dev\/pts\/\d+/);
  });
});

/** Compiles the bundle as rocklet.js does and reports whether V8 accepted the code cache. */
const CODE_CACHE_PROBE = `
const { readFileSync } = require('node:fs');
const vm = require('node:vm');
const file = '/rock/rocklet.bundle.js';
const script = new vm.Script(require('node:module').wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: readFileSync(file + '.v8cache') });
process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected }));
`;

describe('rocklet start-up', () => {
  it('uses a V8 code cache that the bundled node accepts inside a container', async () => {
    const result = await runInTestImage(TEST_IMAGES.busybox, bundledNodeCommand(['-e', CODE_CACHE_PROBE]), runLabel);
    expect(result).toMatchObject({ exitCode: 0, stdout: JSON.stringify({ rejected: false }) });
  });
});

describe('processes spawned by the bundled node', () => {
  it('do not inherit LD_LIBRARY_PATH and load the image libc, not the bundle one (bash image)', async () => {
    const result = await runInTestImage(TEST_IMAGES.bash, bundledNodeCommand(['-e', SPAWN_PROBE]), runLabel);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('LD=unset');
    const libcs = lines.slice(1);
    expect(libcs.length).toBeGreaterThan(0);
    for (const libc of libcs) expect(libc).not.toMatch(/^\/rock\//);
    expect(libcs.some((l) => /^\/(usr\/)?lib\/x86_64-linux-gnu\/libc\.so\.6$/.test(l))).toBe(true);
  });

  it('see a missing libc in the busybox image: the bundled node itself still runs', async () => {
    const result = await runInTestImage(
      TEST_IMAGES.busybox,
      bundledNodeCommand(['-e', "process.stdout.write(require('node:child_process').execFileSync('/bin/sh', ['-c', 'echo sh-$((1+1))']).toString())"]),
      runLabel,
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: 'sh-2\n' });
  });
});

describe('test container cleanup', () => {
  it('removes every container carrying the run label, running ones included', async () => {
    const ownLabel = uniqueTestLabel('rocklet-cleanup');
    const rocklets = await Promise.all([startRockletContainer({ image: TEST_IMAGES.busybox, runLabel: ownLabel }), startRockletContainer({ image: TEST_IMAGES.busybox, runLabel: ownLabel })]);
    expect(await removeTestContainers(ownLabel)).toBe(2);
    const left = await dockerForTests().listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${ownLabel}`] } });
    expect(left).toEqual([]);
    await rocklets[0].remove(); // already gone: removing again is a no-op
  });
});
