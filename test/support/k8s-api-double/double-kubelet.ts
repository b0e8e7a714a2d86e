/**
 * TEST-ONLY (part of the Kubernetes API server double): a kubelet stand-in that runs one pod as
 * Docker containers on this machine. Init containers run first from their own image, sharing a
 * Docker volume per `emptyDir`; then the first app container starts (pod IP = its bridge IP) and
 * its readiness probe (httpGet) is checked every `probeIntervalMs` until it passes once. A missing
 * local image is a pull failure (no registry is reachable): ErrImagePull, then ImagePullBackOff.
 * With `bundleDir` set, init containers are skipped and that directory is bind-mounted read-only
 * at every emptyDir mount instead (a faster emulation of the bundle copy).
 * `activeDeadlineSeconds` is enforced: the pod fails with reason DeadlineExceeded and its containers
 * are killed. Not modelled: restarts, liveness probes, resource accounting.
 */
import type { V1Container, V1ContainerStatus, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type Docker from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';

export interface KubeletOptions {
  docker: Docker;
  /** Label value on every container/volume this double creates (`rock.k8s-double=<id>`). */
  doubleId: string;
  probeIntervalMs: number;
  bundleDir?: string;
  /** Applies `mutate` to the stored pod's status and publishes MODIFIED; false once the pod is gone. */
  update: (mutate: (pod: V1Pod) => void) => boolean;
}

const NODE = 'k8s-double-node';
const now = (): string => new Date().toISOString();

function condition(type: string, ok: boolean, reason?: string): V1PodCondition {
  return { type, status: ok ? 'True' : 'False', lastTransitionTime: now() as unknown as Date, ...(reason ? { reason } : {}) };
}

function waitingStatus(c: V1Container, reason: string, message?: string): V1ContainerStatus {
  return { name: c.name, image: c.image ?? '', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason, ...(message ? { message } : {}) } } };
}

function pullMessage(image: string): string {
  return `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`;
}

/** Runs one pod until {@link stop}. */
export class DoubleKubelet {
  private readonly containers: string[] = [];
  private volume: string | null = null;
  private stopped = false;
  private deadlineTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: KubeletOptions, private readonly pod: V1Pod) {}

  async run(): Promise<void> {
    try {
      this.update((p) => this.schedule(p));
      this.armDeadline();
      if (!(await this.runInitContainers())) return;
      await this.runMain();
    } catch (err) {
      if (!this.stopped) this.update((p) => Object.assign(p.status ?? {}, { phase: 'Failed', reason: 'DoubleError', message: String(err) }));
    }
  }

  /** Removes every container and volume of the pod. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    for (const id of this.containers) await this.options.docker.getContainer(id).remove({ force: true }).catch(() => undefined);
    if (this.volume) await this.options.docker.getVolume(this.volume).remove().catch(() => undefined);
  }

  private armDeadline(): void {
    const seconds = this.pod.spec?.activeDeadlineSeconds;
    if (!seconds) return;
    this.deadlineTimer = setTimeout(() => {
      this.update((p) => Object.assign(p.status ?? {}, { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' }));
      for (const id of this.containers) void this.options.docker.getContainer(id).kill({ signal: 'SIGKILL' }).catch(() => undefined);
    }, seconds * 1000);
    this.deadlineTimer.unref();
  }

  private update(mutate: (pod: V1Pod) => void): void {
    if (!this.stopped && !this.options.update(mutate)) this.stopped = true;
  }

  private schedule(p: V1Pod): void {
    p.spec = { ...p.spec!, nodeName: NODE };
    p.status = {
      phase: 'Pending',
      hostIP: '127.0.0.1',
      startTime: now() as unknown as Date,
      conditions: [condition('PodScheduled', true), condition('Initialized', false, 'ContainersNotInitialized'), condition('ContainersReady', false, 'ContainersNotReady'), condition('Ready', false, 'ContainersNotReady')],
      initContainerStatuses: (p.spec.initContainers ?? []).map((c) => waitingStatus(c, 'PodInitializing')),
      containerStatuses: p.spec.containers.map((c) => waitingStatus(c, 'PodInitializing')),
    };
  }

  private async imageMissing(c: V1Container, kind: 'initContainerStatuses' | 'containerStatuses'): Promise<boolean> {
    const present = await this.options.docker.getImage(c.image ?? '').inspect().then(() => true, () => false);
    if (present && c.imagePullPolicy !== 'Always') return false;
    const set = (reason: string, message: string) => (p: V1Pod) => {
      const list = p.status?.[kind] ?? [];
      const i = list.findIndex((s) => s.name === c.name);
      if (i >= 0) list[i] = waitingStatus(c, reason, message);
    };
    this.update(set('ErrImagePull', pullMessage(c.image ?? '')));
    await sleep(300);
    this.update(set('ImagePullBackOff', `Back-off pulling image "${c.image}"`));
    return true;
  }

  private async runInitContainers(): Promise<boolean> {
    const inits = this.options.bundleDir ? [] : (this.pod.spec?.initContainers ?? []);
    for (const c of inits) {
      if (await this.imageMissing(c, 'initContainerStatuses')) return false;
      const container = await this.createContainer(c);
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      const terminated = { exitCode: StatusCode, reason: StatusCode === 0 ? 'Completed' : 'Error', finishedAt: now() as unknown as Date };
      this.update((p) => {
        const s = p.status?.initContainerStatuses?.find((x) => x.name === c.name);
        if (s) Object.assign(s, { state: { terminated }, ready: StatusCode === 0 });
        if (StatusCode !== 0) Object.assign(p.status ?? {}, { phase: 'Failed' });
      });
      if (StatusCode !== 0) return false;
    }
    this.update((p) => {
      p.status!.conditions = p.status!.conditions!.map((x) => (x.type === 'Initialized' ? condition('Initialized', true) : x));
      for (const s of p.status?.containerStatuses ?? []) s.state = { waiting: { reason: 'ContainerCreating' } };
    });
    return !this.stopped;
  }

  private async runMain(): Promise<void> {
    const c = this.pod.spec!.containers[0]!;
    if (await this.imageMissing(c, 'containerStatuses')) return;
    const container = await this.createContainer(c);
    await container.start();
    const info = await container.inspect();
    const ip = info.NetworkSettings.Networks.bridge?.IPAddress ?? Object.values(info.NetworkSettings.Networks)[0]?.IPAddress ?? '';
    this.update((p) => {
      Object.assign(p.status!, { phase: 'Running', podIP: ip, podIPs: [{ ip }] });
      const s = p.status!.containerStatuses![0]!;
      Object.assign(s, { state: { running: { startedAt: now() } }, started: true, imageID: `docker-pullable://${info.Image}`, containerID: `docker://${info.Id}` });
    });
    void container.wait().then((r: { StatusCode: number }) => this.exited(r.StatusCode), () => undefined);
    if (await this.probeUntilReady(c, ip)) this.setReady(true);
  }

  private async probeUntilReady(c: V1Container, ip: string): Promise<boolean> {
    const probe = c.readinessProbe?.httpGet;
    if (!probe) return true;
    while (!this.stopped) {
      const ok = await fetch(`http://${ip}:${String(probe.port)}${probe.path ?? '/'}`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status < 400, () => false);
      if (ok) return true;
      await sleep(this.options.probeIntervalMs);
    }
    return false;
  }

  private setReady(ready: boolean): void {
    this.update((p) => {
      p.status!.containerStatuses![0]!.ready = ready;
      p.status!.conditions = p.status!.conditions!.map((x) => (x.type === 'Ready' || x.type === 'ContainersReady' ? condition(x.type, ready, ready ? undefined : 'ContainersNotReady') : x));
    });
  }

  private exited(code: number): void {
    this.setReady(false);
    this.update((p) => {
      p.status!.phase = code === 0 ? 'Succeeded' : 'Failed';
      p.status!.containerStatuses![0]!.state = { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', finishedAt: now() as unknown as Date } };
    });
  }

  private async createContainer(c: V1Container): Promise<Docker.Container> {
    const binds = await this.volumeBinds(c);
    const limits = c.resources?.limits ?? {};
    const container = await this.options.docker.createContainer({
      Image: c.image,
      ...(c.command ? { Entrypoint: c.command } : {}),
      ...(c.args ? { Cmd: c.args } : {}),
      Env: (c.env ?? []).map((e) => `${e.name}=${e.value ?? ''}`),
      Labels: { 'rock.k8s-double': this.options.doubleId, 'rock.k8s-double.pod': this.pod.metadata?.name ?? '' },
      HostConfig: { Binds: binds, ...(limits.memory ? { Memory: Number(limits.memory) } : {}) },
    });
    this.containers.push(container.id);
    if (this.stopped) {
      // stop() may already have run: remove what it could not see.
      await container.remove({ force: true }).catch(() => undefined);
      throw new Error('pod deleted');
    }
    return container;
  }

  private async volumeBinds(c: V1Container): Promise<string[]> {
    const emptyDirs = new Set((this.pod.spec?.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
    const binds: string[] = [];
    for (const m of c.volumeMounts ?? []) {
      if (!emptyDirs.has(m.name)) continue;
      if (this.options.bundleDir) binds.push(`${this.options.bundleDir}:${m.mountPath}:ro`);
      else binds.push(`${await this.emptyDir()}:${m.mountPath}${m.readOnly ? ':ro' : ''}`);
    }
    return binds;
  }

  private async emptyDir(): Promise<string> {
    if (!this.volume) {
      const name = `k8sdouble-${this.options.doubleId}-${this.pod.metadata?.name ?? 'pod'}`.slice(0, 200);
      await this.options.docker.createVolume({ Name: name, Labels: { 'rock.k8s-double': this.options.doubleId } });
      this.volume = name;
      if (this.stopped) {
        await this.options.docker.getVolume(name).remove().catch(() => undefined);
        throw new Error('pod deleted');
      }
    }
    return this.volume;
  }
}
