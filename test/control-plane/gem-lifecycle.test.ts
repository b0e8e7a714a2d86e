import { TEST_IMAGES } from '@rock/testing';
import { ControlPlane, GEM_API, type WriteProcess } from './write-service-fixture';

jest.setTimeout(90_000);

describe('GEM make/close through the write service (docker, tiny image)', () => {
  const plane = new ControlPlane({ name: 'gem', runtime: 'docker', env: { ROCK_GEM_IMAGE: TEST_IMAGES.busybox } });
  let write: WriteProcess;

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => plane.cleanup());

  it('make creates a sandbox serving the env; close stops it and removes the container', async () => {
    const made = await write.post(`${GEM_API}/make`, { env_id: 'game:GuessTheNumber-v0-easy', seed: 7 }, { 'x-request-id': 'gem-req-1' });
    expect(made.status).toBe(200);
    const sandboxId = String(made.body.sandbox_id);
    expect(Object.keys(made.body)).toEqual(['sandbox_id']);
    const record = await plane.registry.get(sandboxId);
    expect(record).toMatchObject({ state: 'running', image: TEST_IMAGES.busybox, metadata: { 'gem.env_id': 'game:GuessTheNumber-v0-easy' } });

    // The env is live in the sandbox's rocklet (the read service forwards reset/step there).
    const reset = await fetch(`${record?.rocklet_url}/env/reset`, {
      method: 'POST',
      headers: { authorization: `Bearer ${record?.rocklet_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 7 }),
    });
    expect(reset.status).toBe(200);
    expect(JSON.stringify(await reset.json())).toContain('observation');

    const closed = await write.post(`${GEM_API}/close`, { sandbox_id: sandboxId });
    expect(closed).toMatchObject({ status: 200, body: { sandbox_id: sandboxId } });
    expect((await plane.registry.get(sandboxId))?.state).toBe('stopped');
    expect(await plane.containers()).toEqual([]);
    const again = await write.post(`${GEM_API}/close`, { sandbox_id: sandboxId });
    expect(again.status).toBe(404);
  });
});
