import { randomBytes } from 'node:crypto';
import { DockerRuntime, MANAGED_IMAGE_LABEL, type RuntimeHandle } from '@rock/runtime';
import { dockerForTests, rockletBundleDir, uniqueTestLabel } from '@rock/testing';
import { isAlive, phaseLog, removeLabelled, testSpec, uniqueSandboxId } from './runtime-test-kit';

jest.setTimeout(60_000);

const docker = dockerForTests();
const instance = uniqueTestLabel('runtime-base-image');
// A tag of this run only, so concurrent runs using the shared default tag are never disturbed.
const baseImage = `rock-test/gem-base-${randomBytes(4).toString('hex')}:1`;
const runtime = new DockerRuntime({ bundleDir: rockletBundleDir(), instance, baseImage });

async function removeImage(tag: string): Promise<void> {
  await docker
    .getImage(tag)
    .remove({ force: true })
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
}

async function imageLabels(tag: string): Promise<Record<string, string> | null> {
  const info = await docker
    .getImage(tag)
    .inspect()
    .catch(() => null);
  return info ? (info.Config.Labels ?? {}) : null;
}

async function env(handle: RuntimeHandle, token: string, route: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${handle.rockletUrl}/env/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}

afterAll(async () => {
  await removeLabelled('rock.instance', instance);
  await removeImage(baseImage);
});

describe('DockerRuntime self-provisioned base image', () => {
  it('imports the missing base image once (single-flight), labelled as ROCK-managed, with an empty rootfs', async () => {
    await removeImage(baseImage);
    const results = await Promise.all([runtime.ensureBaseImage(baseImage), runtime.ensureBaseImage(baseImage)]);
    expect(results).toEqual([true, true]); // both callers joined the one import
    expect(await imageLabels(baseImage)).toMatchObject({ [MANAGED_IMAGE_LABEL]: 'true' });
    expect(await runtime.ensureBaseImage(baseImage)).toBe(false); // idempotent: present now
    const info = await docker.getImage(baseImage).inspect();
    expect(info.Size).toBeLessThan(4096);
  });

  it('creates a sandbox from the missing base image in image_pull; rocklet serves make/reset/step; the next create reuses it', async () => {
    await removeImage(baseImage);
    const id = uniqueSandboxId('base');
    const spec = testSpec(id, { image: baseImage, pull: 'missing' });
    const phases = phaseLog();
    const handle = await runtime.create(spec, { onPhase: phases.onPhase });
    const pull = phases.updates.find((u) => u.phase === 'image_pull' && u.status === 'success');
    expect(pull?.message).toContain('imported');
    expect(await imageLabels(baseImage)).toMatchObject({ [MANAGED_IMAGE_LABEL]: 'true' });
    expect(await isAlive(handle)).toBe(true);

    const token = spec.rockletToken;
    expect((await env(handle, token, 'make', { env_id: 'game:GuessTheNumber-v0-easy', seed: 7 })).status).toBe(200);
    const reset = await env(handle, token, 'reset', { seed: 7 });
    expect(reset.status).toBe(200);
    expect(reset.text).toContain('observation');
    const step = await env(handle, token, 'step', { action: '\\boxed{3}' });
    expect(step.status).toBe(200);
    expect(step.text).toContain('reward');

    await runtime.destroy(id);

    const again = uniqueSandboxId('base');
    const reuse = phaseLog();
    const started = Date.now();
    const second = await runtime.create(testSpec(again, { image: baseImage, pull: 'never' }), { onPhase: reuse.onPhase });
    const elapsed = Date.now() - started;
    expect(reuse.updates.find((u) => u.phase === 'image_pull' && u.status === 'success')?.message).toContain('present locally');
    expect(await isAlive(second)).toBe(true);
    console.log(`create from the present base image: ${elapsed} ms`);
    await runtime.destroy(again);
  });
});
