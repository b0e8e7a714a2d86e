import { MANAGED_IMAGE_LABEL, ROCK_BASE_IMAGE } from '@rock/runtime';
import { dockerForTests } from '@rock/testing';
import { ControlPlane, GEM_API, type WriteProcess } from './write-service-fixture';

jest.setTimeout(90_000);

const docker = dockerForTests();

/** Removes the shared base tag if no container uses it (a concurrent run's sandbox keeps it: 409). */
async function removeBaseImageIfUnused(): Promise<void> {
  await docker
    .getImage(ROCK_BASE_IMAGE)
    .remove()
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
    });
}

describe('GEM make with the default GEM image (docker, self-provisioned rock/gem-base:1)', () => {
  // No ROCK_GEM_IMAGE: the config default must work on a machine with no images and no registry.
  const plane = new ControlPlane({ name: 'gem-base', runtime: 'docker' });
  let write: WriteProcess;

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => plane.cleanup());

  async function makeAndPlay(seed: number): Promise<{ sandboxId: string; makeMs: number }> {
    const started = Date.now();
    const made = await write.post(`${GEM_API}/make`, { env_id: 'game:GuessTheNumber-v0-easy', seed });
    const makeMs = Date.now() - started;
    expect(made.status).toBe(200);
    const sandboxId = String(made.body.sandbox_id);
    const record = await plane.registry.get(sandboxId);
    expect(record).toMatchObject({ state: 'running', image: ROCK_BASE_IMAGE });
    const call = async (route: string, body: unknown): Promise<{ status: number; text: string }> => {
      const res = await fetch(`${record?.rocklet_url}/env/${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${record?.rocklet_token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, text: await res.text() };
    };
    const reset = await call('reset', { seed });
    expect(reset).toMatchObject({ status: 200, text: expect.stringContaining('observation') });
    const step = await call('step', { action: '\\boxed{3}' });
    expect(step).toMatchObject({ status: 200, text: expect.stringContaining('reward') });
    return { sandboxId, makeMs };
  }

  it('provisions the missing image during make, then reuses it; reset/step answer in the empty rootfs', async () => {
    await removeBaseImageIfUnused();
    const first = await makeAndPlay(7);
    const image = await docker.getImage(ROCK_BASE_IMAGE).inspect();
    expect(image.Config.Labels).toMatchObject({ [MANAGED_IMAGE_LABEL]: 'true' });

    const second = await makeAndPlay(8);
    expect((await docker.getImage(ROCK_BASE_IMAGE).inspect()).Id).toBe(image.Id); // reused, not re-imported
    console.log(`GEM make: first ${first.makeMs} ms, second (image present) ${second.makeMs} ms`);

    for (const { sandboxId } of [first, second]) {
      expect((await write.post(`${GEM_API}/close`, { sandbox_id: sandboxId })).status).toBe(200);
    }
    expect(await plane.containers()).toEqual([]);
  });
});
