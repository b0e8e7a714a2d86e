import type { V1Pod, V1PodList } from '@kubernetes/client-node';
import type { Clock } from '../poll';
import { silentLogger } from '../runtime.types';
import { KubernetesApiError, type KubernetesPodApi, type WatchEvent } from './kubernetes-pod.api';
import { PodInformer } from './pod-informer';

const pod = (name: string, rv: string, phase = 'Pending'): V1Pod => ({ metadata: { name, resourceVersion: rv }, status: { phase } });

/** A watch that delivers `events`, then closes. */
const step =
  (...events: WatchEvent[]) =>
  (emit: (e: WatchEvent) => void): Promise<void> => {
    events.forEach((e) => emit(e));
    return Promise.resolve();
  };

/** A scripted API: each watch call runs the next script step (events, then close or throw). */
function scriptedApi(lists: V1PodList[], watches: Array<(emit: (e: WatchEvent) => void) => Promise<void>>) {
  const calls: string[] = [];
  let released: () => void = () => undefined;
  const api = {
    listPods: () => {
      calls.push('list');
      return Promise.resolve(lists.shift() ?? { items: [], metadata: { resourceVersion: '999' } });
    },
    watchPods: async (_sel: string, rv: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal) => {
      calls.push(`watch@${rv}`);
      const step = watches.shift();
      if (step) return step(onEvent);
      // Out of script: stay connected until closed.
      await new Promise<void>((resolve) => {
        released = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    },
  } as unknown as KubernetesPodApi;
  return { api, calls, idle: () => released };
}

function fakeClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: (ms) => (slept.push(ms), Promise.resolve()) };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((r) => setImmediate(r));
}

describe('PodInformer', () => {
  it('lists once, then resumes each closed watch from the last resourceVersion (bookmarks included)', async () => {
    const deleted: string[] = [];
    const { api, calls } = scriptedApi([{ items: [pod('a', '5')], metadata: { resourceVersion: '10' } }], [
      step({ type: 'MODIFIED', object: pod('a', '11', 'Running') }),
      step({ type: 'BOOKMARK', object: pod('', '20') }),
      step({ type: 'DELETED', object: pod('a', '21') }),
    ]);
    const informer = new PodInformer(api, 'x=y', { onDelete: (p) => deleted.push(p.metadata?.name ?? ''), onUpdate: () => undefined }, fakeClock(), silentLogger);
    await informer.start();
    await settle();
    expect(calls).toEqual(['list', 'watch@10', 'watch@11', 'watch@20', 'watch@21']);
    expect(deleted).toEqual(['a']);
    expect(informer.list()).toEqual([]);
    await informer.close();
  });

  it('relists after a 410 (ERROR event or HTTP status) and reports pods gone meanwhile as deleted', async () => {
    const deleted: string[] = [];
    const { api, calls } = scriptedApi(
      [{ items: [pod('a', '5'), pod('b', '6')], metadata: { resourceVersion: '10' } }, { items: [pod('b', '6')], metadata: { resourceVersion: '30' } }],
      [
        step({ type: 'ERROR', object: { code: 410 } as WatchEvent['object'] }),
        () => Promise.reject(new KubernetesApiError(410, 'Expired', 'too old')),
      ],
    );
    const informer = new PodInformer(api, 'x=y', { onDelete: (p) => deleted.push(p.metadata?.name ?? ''), onUpdate: () => undefined }, fakeClock(), silentLogger);
    await informer.start();
    await settle();
    expect(calls).toEqual(['list', 'watch@10', 'list', 'watch@30', 'list', 'watch@999']);
    expect(deleted).toEqual(['a', 'b']);
    expect(informer.stats.relistsAfterGone).toBe(2);
    await informer.close();
  });

  it('backs off with a growing delay after watch failures and resets after a healthy watch', async () => {
    const clock = fakeClock();
    const fail = () => Promise.reject(new Error('ECONNREFUSED'));
    const { api } = scriptedApi([{ items: [], metadata: { resourceVersion: '1' } }], [fail, fail, fail, step({ type: 'BOOKMARK', object: pod('', '2') }), fail]);
    const informer = new PodInformer(api, 'x=y', { onDelete: () => undefined, onUpdate: () => undefined }, clock, silentLogger);
    await informer.start();
    await settle();
    expect(clock.slept).toEqual([250, 500, 1000, 250]);
    expect(informer.resourceVersion()).toBe('2');
    await informer.close();
  });

  it('resolves waits from events and rejects them when the signal aborts', async () => {
    const { api } = scriptedApi([{ items: [], metadata: { resourceVersion: '1' } }], [step({ type: 'ADDED', object: pod('a', '2', 'Running') })]);
    const informer = new PodInformer(api, 'x=y', { onDelete: () => undefined, onUpdate: () => undefined }, fakeClock(), silentLogger);
    const running = informer.waitFor('a', (p) => (p?.status?.phase === 'Running' ? { done: p.metadata?.resourceVersion } : undefined), new AbortController().signal);
    await informer.start();
    await expect(running).resolves.toBe('2');
    const controller = new AbortController();
    const never = informer.waitFor('b', () => undefined, controller.signal);
    controller.abort();
    await expect(never).rejects.toMatchObject({ code: 'ABORTED' });
    await informer.close();
  });
});
