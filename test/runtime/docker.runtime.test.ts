import { detectRuntimeKind, DockerRuntime, RuntimeError, type RuntimeHandle } from '@rock/runtime';
import { dockerForTests, rockletBundleDir, TEST_IMAGES, TEST_LABEL, uniqueTestLabel } from '@rock/testing';
import { execute, FULL_CREATE_TRAIL, isAlive, phaseDurations, phaseLog, removeLabelled, testSpec, uniqueSandboxId } from './runtime-test-kit';

jest.setTimeout(60_000);

const docker = dockerForTests();
const instance = uniqueTestLabel('runtime-docker');
const otherInstance = `${instance}-other`;
const runtime = new DockerRuntime({ bundleDir: rockletBundleDir(), instance });

async function containerGone(id: string): Promise<boolean> {
  return docker
    .getContainer(id)
    .inspect()
    .then(() => false)
    .catch((err: { statusCode?: number }) => err.statusCode === 404);
}

async function expectRuntimeError(promise: Promise<unknown>): Promise<RuntimeError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuntimeError);
  return err as RuntimeError;
}

afterAll(async () => {
  await removeLabelled('rock.instance', instance);
  await removeLabelled('rock.instance', otherInstance);
  await removeLabelled(TEST_LABEL, instance);
});

describe('DockerRuntime create/destroy', () => {
  it.each([
    ['busybox', TEST_IMAGES.busybox],
    ['bash', TEST_IMAGES.bash],
  ])('starts a sandbox from the %s image whose rocklet answers at the returned address, then destroys it', async (_name, image) => {
    const id = uniqueSandboxId('dk');
    const phases = phaseLog();
    const spec = testSpec(id, { image, env: { GREETING: 'hello from env' } });
    const started = Date.now();
    const handle = await runtime.create(spec, { onPhase: phases.onPhase });
    const elapsed = Date.now() - started;

    expect(phases.trail()).toEqual(FULL_CREATE_TRAIL);
    expect(handle).toMatchObject({ sandboxId: id, rockletPort: 22555, portMapping: { '22555': '22555' } });
    expect(handle.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(handle.hostIp).toBe(handle.address);
    expect(await isAlive(handle)).toBe(true);

    const echoed = await execute(handle, spec.rockletToken, ['sh', '-c', 'echo "$GREETING"']);
    expect(echoed.status).toBe(200);
    expect(echoed.body.stdout?.trim()).toBe('hello from env');
    expect((await execute(handle, 'wrong-token', ['true'])).status).toBe(401);

    await runtime.destroy(id);
    expect(await containerGone(handle.resourceId)).toBe(true);
    expect(await runtime.inspect(id)).toBeNull();
    console.log(`docker create (${image}) until rocklet answered: ${elapsed} ms; ${phaseDurations(phases.updates)}`);
  });

  it('applies memory (swap = memory), NanoCpus, pids limit, init, the read-only bundle mount and the labels', async () => {
    const id = uniqueSandboxId('lim');
    const spec = testSpec(id, { memoryBytes: 300 * 1024 * 1024, cpus: 0.5, limitCpus: 1.5, pidsLimit: 123, labels: { team: 'rl', 'rock.managed': 'false' } });
    const handle = await runtime.create(spec);
    const info = await docker.getContainer(handle.resourceId).inspect();
    expect(info.Name).toBe(`/rock-${id}`);
    expect(info.HostConfig).toMatchObject({ Memory: 300 * 1024 * 1024, MemorySwap: 300 * 1024 * 1024, NanoCpus: 1.5e9, PidsLimit: 123, Init: true });
    expect(info.HostConfig.CpuShares).toBe(512);
    expect(info.HostConfig.Binds).toEqual([`${rockletBundleDir()}:/rock:ro`]);
    expect(info.Config.Labels).toMatchObject({ 'rock.managed': 'true', 'rock.sandbox-id': id, 'rock.instance': instance, team: 'rl' });
    expect(info.Config.Env).toContain(`ROCKLET_TOKEN=${spec.rockletToken}`);

    const state = await runtime.inspect(id);
    expect(state).toMatchObject({ sandboxId: id, resourceId: handle.resourceId, status: 'running', running: true, exitCode: null, address: handle.address });
    await runtime.destroy(id);
  });

  it('caps a CPU limit above the host CPU count to the host (a larger limit would be no limit)', async () => {
    const id = uniqueSandboxId('cpu');
    const handle = await runtime.create(testSpec(id, { cpus: 512 }));
    const info = await docker.getContainer(handle.resourceId).inspect();
    const hostCpus = (await docker.info()).NCPU as number;
    expect(info.HostConfig.NanoCpus).toBe(hostCpus * 1e9);
    await runtime.destroy(id);
  });

  it('destroy is idempotent: twice, and for an id that never existed', async () => {
    const id = uniqueSandboxId('twice');
    const handle = await runtime.create(testSpec(id));
    await runtime.destroy(id);
    await runtime.destroy(id);
    await runtime.destroy(uniqueSandboxId('never'));
    expect(await containerGone(handle.resourceId)).toBe(true);
  });

  it('replaces a leftover container of the same sandbox when create is retried', async () => {
    const id = uniqueSandboxId('retry');
    const first = await runtime.create(testSpec(id));
    const second = await runtime.create(testSpec(id));
    expect(second.resourceId).not.toBe(first.resourceId);
    expect(await containerGone(first.resourceId)).toBe(true);
    expect((await runtime.list()).filter((r) => r.sandboxId === id)).toHaveLength(1);
    await runtime.destroy(id);
  });

  it('can publish rocklet on 127.0.0.1 instead of using the bridge IP', async () => {
    const published = new DockerRuntime({ bundleDir: rockletBundleDir(), instance, publishHostIp: '127.0.0.1' });
    const id = uniqueSandboxId('pub');
    const handle = await published.create(testSpec(id));
    expect(handle.address).toBe('127.0.0.1');
    expect(handle.rockletPort).not.toBe(22555);
    expect(handle.portMapping).toEqual({ '22555': String(handle.rockletPort) });
    expect(await isAlive(handle)).toBe(true);
    await published.destroy(id);
  });
});

describe('DockerRuntime failures', () => {
  it.each(['never', 'missing'] as const)('fails fast in image_pull naming the image when it is absent (pull %s)', async (pull) => {
    const id = uniqueSandboxId('noimg');
    const image = `rock-test-absent-${Date.now()}:latest`;
    const phases = phaseLog();
    const started = Date.now();
    const err = await expectRuntimeError(runtime.create(testSpec(id, { image, pull }), { onPhase: phases.onPhase }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.phase).toBe('image_pull');
    expect(err.message).toContain(image);
    expect(['IMAGE_NOT_FOUND', 'IMAGE_PULL_FAILED']).toContain(err.code);
    if (pull === 'never') expect(err).toMatchObject({ code: 'IMAGE_NOT_FOUND', transient: false });
    expect(phases.trail()).toEqual(['image_pull:running', 'image_pull:failed']);
    expect(phases.updates[1].message).toContain(image);
    expect(await runtime.inspect(id)).toBeNull();
  });

  it('reports a rocklet that exits during start-up in rocklet_ready with its output, and removes the container', async () => {
    const id = uniqueSandboxId('crash');
    const phases = phaseLog();
    // An invalid rocklet setting makes rocklet print its configuration error and exit.
    const spec = testSpec(id, { env: { ROCKLET_MAX_OUTPUT_BYTES: 'not-a-number' } });
    const started = Date.now();
    const err = await expectRuntimeError(runtime.create(spec, { onPhase: phases.onPhase }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toMatchObject({ code: 'SANDBOX_EXITED', phase: 'rocklet_ready', transient: false });
    expect(err.message).toContain('ROCKLET_MAX_OUTPUT_BYTES');
    expect(phases.trail().slice(-1)).toEqual(['rocklet_ready:failed']);
    expect(await runtime.inspect(id)).toBeNull();
  });

  it('a startup deadline that passes fails in rocklet_ready with status timeout (transient) and removes the container', async () => {
    const id = uniqueSandboxId('slow');
    const phases = phaseLog();
    const err = await expectRuntimeError(runtime.create(testSpec(id, { startupTimeoutMs: 1 }), { onPhase: phases.onPhase }));
    expect(err).toMatchObject({ code: 'STARTUP_TIMEOUT', phase: 'rocklet_ready', transient: true });
    expect(phases.trail().slice(-1)).toEqual(['rocklet_ready:timeout']);
    expect(await runtime.inspect(id)).toBeNull();
  });

  it('an unreachable daemon is a transient RUNTIME_UNAVAILABLE error', async () => {
    const offline = new DockerRuntime({ bundleDir: rockletBundleDir(), instance, socketPath: '/nonexistent/docker.sock' });
    const err = await expectRuntimeError(offline.create(testSpec(uniqueSandboxId('offline'))));
    expect(err).toMatchObject({ code: 'RUNTIME_UNAVAILABLE', transient: true });
    expect((await expectRuntimeError(offline.list())).code).toBe('RUNTIME_UNAVAILABLE');
    expect((await expectRuntimeError(offline.destroy('x'))).transient).toBe(true);
  });

  it('local mode detects the daemon: docker when it answers, local when the socket is absent', async () => {
    expect(await detectRuntimeKind('/var/run/docker.sock')).toBe('docker');
    expect(await detectRuntimeKind('/nonexistent/docker.sock')).toBe('local');
  });

  it('a missing rocklet bundle is reported before anything is created', async () => {
    const unbundled = new DockerRuntime({ bundleDir: '/nonexistent/rocklet-runtime', instance });
    const id = uniqueSandboxId('nobundle');
    const err = await expectRuntimeError(unbundled.create(testSpec(id)));
    expect(err.code).toBe('INVALID_SPEC');
    expect(err.message).toContain('/nonexistent/rocklet-runtime');
    expect(await runtime.inspect(id)).toBeNull();
  });

  it('rejects an invalid spec listing every bad field, creating nothing', async () => {
    const id = uniqueSandboxId('bad');
    const err = await expectRuntimeError(runtime.create(testSpec(id, { cpus: 0, memoryBytes: -1, pull: 'sometimes' as never })));
    expect(err.code).toBe('INVALID_SPEC');
    expect(err.message).toContain('cpus');
    expect(err.message).toContain('memoryBytes');
    expect(err.message).toContain('pull');
    expect(await runtime.inspect(id)).toBeNull();
  });

  it('aborting a create rejects with ABORTED and leaves no container', async () => {
    const id = uniqueSandboxId('abort');
    const controller = new AbortController();
    const promise = runtime.create(testSpec(id), {
      signal: controller.signal,
      onPhase: (u) => {
        if (u.phase === 'container_start' && u.status === 'success') controller.abort();
      },
    });
    const err = await expectRuntimeError(promise);
    expect(err.code).toBe('ABORTED');
    expect(await runtime.inspect(id)).toBeNull();
    expect((await runtime.list()).some((r) => r.sandboxId === id)).toBe(false);
  });
});

describe('DockerRuntime list and instance isolation', () => {
  it('lists only its own managed containers and never touches unlabelled or other-instance ones', async () => {
    const mine = uniqueSandboxId('mine');
    const theirs = uniqueSandboxId('theirs');
    const other = new DockerRuntime({ bundleDir: rockletBundleDir(), instance: otherInstance });
    const unlabelled = await docker.createContainer({
      Image: TEST_IMAGES.busybox,
      Cmd: ['sleep', '60'],
      Labels: { [TEST_LABEL]: instance, 'rock.sandbox-id': mine },
    });
    const [myHandle, theirHandle] = await Promise.all([runtime.create(testSpec(mine)), other.create(testSpec(theirs))]);

    const listed = await runtime.list();
    expect(listed.map((r) => r.sandboxId)).toContain(mine);
    expect(listed.map((r) => r.sandboxId)).not.toContain(theirs);
    expect(listed.map((r) => r.resourceId)).not.toContain(unlabelled.id);
    expect(listed.find((r) => r.sandboxId === mine)).toMatchObject({ resourceId: myHandle.resourceId, running: true, image: TEST_IMAGES.busybox });

    await runtime.destroy(theirs);
    expect(await runtime.inspect(theirs)).toBeNull();
    expect(await other.inspect(theirs)).toMatchObject({ running: true });
    await runtime.destroy(mine);
    expect(await containerGone(unlabelled.id)).toBe(false);
    expect(await containerGone(theirHandle.resourceId)).toBe(false);
    await other.destroy(theirs);
    await unlabelled.remove({ force: true });
  });

  it('inspect reports an exited container with its exit code', async () => {
    const id = uniqueSandboxId('exit');
    const handle = await runtime.create(testSpec(id));
    await docker.getContainer(handle.resourceId).kill({ signal: 'SIGKILL' });
    await docker.getContainer(handle.resourceId).wait();
    const state = await runtime.inspect(id);
    expect(state).toMatchObject({ running: false, status: 'exited', address: null });
    expect(state?.exitCode).not.toBeNull();
    expect((await runtime.list()).find((r) => r.sandboxId === id)).toMatchObject({ running: false });
    await runtime.destroy(id);
  });
});

describe('DockerRuntime restart, commit, warmup', () => {
  let id: string;
  let handle: RuntimeHandle;
  let token: string;

  beforeAll(async () => {
    id = uniqueSandboxId('ops');
    const spec = testSpec(id, { image: TEST_IMAGES.bash });
    token = spec.rockletToken;
    handle = await runtime.create(spec);
  });
  afterAll(() => runtime.destroy(id));

  it('restart brings rocklet back and the files written before survive', async () => {
    await execute(handle, token, ['sh', '-c', 'echo kept > /root-marker || echo kept > /tmp/root-marker']);
    const restarted = await runtime.restart(id, { startupTimeoutMs: 20_000 });
    expect(await isAlive(restarted)).toBe(true);
    const read = await execute(restarted, token, ['sh', '-c', 'cat /root-marker 2>/dev/null || cat /tmp/root-marker']);
    expect(read.body.stdout?.trim()).toBe('kept');
    handle = restarted;
  });

  it('commit produces an image with the changes, the original entrypoint, and neither token nor ROCK labels', async () => {
    await execute(handle, token, ['sh', '-c', 'echo committed > /etc/rock-commit-marker']);
    const tag = `rock-test-commit-${Date.now()}:v1`;
    const result = await runtime.commit(id, tag);
    try {
      expect(result.imageTag).toBe(tag);
      const image = await docker.getImage(tag).inspect();
      const original = await docker.getImage(TEST_IMAGES.bash).inspect();
      expect(image.Config.Entrypoint ?? []).toEqual(original.Config.Entrypoint ?? []);
      expect(image.Config.Cmd ?? []).toEqual(original.Config.Cmd ?? []);
      expect((image.Config.Env ?? []).filter((e) => e.startsWith('ROCKLET_TOKEN='))).toEqual(['ROCKLET_TOKEN=']);
      expect(image.Config.Labels ?? {}).toMatchObject({ 'rock.managed': '', 'rock.sandbox-id': '', 'rock.instance': '' });

      const fromCommit = uniqueSandboxId('fromcommit');
      const spec = testSpec(fromCommit, { image: tag });
      const child = await runtime.create(spec);
      const read = await execute(child, spec.rockletToken, ['cat', '/etc/rock-commit-marker']);
      expect(read.body.stdout?.trim()).toBe('committed');
      await runtime.destroy(fromCommit);
    } finally {
      await docker.getImage(tag).remove({ force: true });
    }
  });

  it('restart and commit of an unknown sandbox fail with NOT_FOUND', async () => {
    const unknown = uniqueSandboxId('nobody');
    expect((await expectRuntimeError(runtime.restart(unknown))).code).toBe('NOT_FOUND');
    expect((await expectRuntimeError(runtime.commit(unknown, 'x:y'))).code).toBe('NOT_FOUND');
  });

  it('warmup succeeds for a present image and fails naming an absent one', async () => {
    await runtime.warmup(TEST_IMAGES.busybox);
    const absent = `rock-test-absent-${Date.now()}:latest`;
    const err = await expectRuntimeError(runtime.warmup(absent, { timeoutMs: 5000 }));
    expect(err.message).toContain(absent);
  });
});
