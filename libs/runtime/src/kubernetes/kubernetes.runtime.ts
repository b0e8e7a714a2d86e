import type { V1Pod } from '@kubernetes/client-node';
import { DEFAULT_INSTANCE_LABEL, isOwnedBy, MANAGED_LABEL, ROCKLET_PORT, SANDBOX_ID_LABEL, sandboxLabels, type InstanceSelector } from '../labels';
import { PhaseReporter, toPhaseError } from '../phase-reporter';
import { systemClock, type Clock } from '../poll';
import { isRuntimeError, RuntimeError } from '../runtime.errors';
import { abortReason, deadlineSignal } from '../signals';
import { assertValidSpec } from '../spec-validation';
import type { CreateOptions, RuntimeHandle, RuntimeLogger, RuntimeResource, RuntimeState, SandboxRuntime, SandboxSpec } from '../runtime.types';
import { silentLogger } from '../runtime.types';
import { loadKubeConfig } from './kube-config';
import { fromApiError, KubernetesPodApi } from './kubernetes-pod.api';
import { K8S_DEFAULTS, type KubernetesRuntimeOptions } from './kubernetes.options';
import { PodInformer, type InformerStats } from './pod-informer';
import { pullSecret, sandboxPod } from './pod-manifest';
import { PodPhaseTracker } from './pod-phase-tracker';
import { podEndReason, podEnded, podProgress } from './pod-status';
import { podResource, podState } from './pod-views';
import { TokenBucket } from './token-bucket';

/**
 * One Pod per sandbox in a configured namespace: an init container from the rocklet-runtime image
 * copies the bundle into an emptyDir at `/rock`, the sandbox container runs the user image with
 * rocklet as its command. Pod state comes from a list+watch informer (never polling); the kubelet's
 * readiness probe on `/is_alive` is the rocklet_ready phase. Addressed by pod IP.
 *
 * Registry credentials of a start request become a per-sandbox `kubernetes.io/dockerconfigjson`
 * Secret (`<pod>-pull`) referenced by the pod and deleted with it.
 */
export class KubernetesRuntime implements SandboxRuntime {
  readonly name = 'kubernetes' as const;
  readonly capabilities = { restart: false, commit: false, warmup: false };
  private readonly api: KubernetesPodApi;
  private readonly informer: PodInformer;
  private readonly instance: InstanceSelector;
  private readonly clock: Clock;
  private readonly logger: RuntimeLogger;
  /** Sandboxes whose create is in flight or whose deletion ROCK asked for: never reported lost. */
  private readonly owned = { creating: new Map<string, number>(), deleting: new Set<string>(), lost: new Set<string>() };

  constructor(private readonly options: KubernetesRuntimeOptions) {
    if (!options.namespace) throw new RuntimeError('INVALID_SPEC', 'namespace: must be a non-empty string');
    if (!options.instance) throw new RuntimeError('INVALID_SPEC', 'instance: must be a non-empty string');
    if (!options.rockletImage) throw new RuntimeError('INVALID_SPEC', 'rockletImage: must be a non-empty image reference');
    this.instance = { label: options.instanceLabel ?? DEFAULT_INSTANCE_LABEL, value: options.instance };
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const bucket = new TokenBucket(options.qps ?? K8S_DEFAULTS.qps, options.burst ?? K8S_DEFAULTS.burst, this.clock);
    this.api = new KubernetesPodApi(loadKubeConfig(options.auth), options.namespace, bucket);
    const selector = `${MANAGED_LABEL}=true,${this.instance.label}=${this.instance.value}`;
    this.informer = new PodInformer(this.api, selector, { onDelete: (p) => this.podDeleted(p), onUpdate: (p) => this.podUpdated(p) }, this.clock, this.logger);
  }

  /** Starts the informer (list + watch); create/list/inspect call it on first use. */
  start(): Promise<void> {
    return this.informer.start();
  }

  /** The resourceVersion the informer's next watch resumes from (for diagnostics and tests). */
  resourceVersion(): string {
    return this.informer.resourceVersion();
  }

  async create(spec: SandboxSpec, options: CreateOptions = {}): Promise<RuntimeHandle> {
    assertValidSpec(spec);
    const reporter = new PhaseReporter(options.onPhase);
    const signal = deadlineSignal(spec.startupTimeoutMs, options.signal);
    const podName = this.podName(spec.sandboxId);
    let created = false;
    this.owned.creating.set(spec.sandboxId, (this.owned.creating.get(spec.sandboxId) ?? 0) + 1);
    try {
      await this.informer.start();
      const pod = this.podFor(spec, podName);
      await reporter.run('container_create', async () => {
        await this.createObjects(spec, pod);
        created = true;
        return { value: null, message: `pod ${this.options.namespace}/${podName} accepted` };
      });
      return await this.awaitReady(spec, podName, new PodPhaseTracker(reporter), signal);
    } catch (err) {
      if (created) await this.removeQuietly(spec.sandboxId);
      throw abortReason(options.signal, err);
    } finally {
      const left = (this.owned.creating.get(spec.sandboxId) ?? 1) - 1;
      if (left > 0) this.owned.creating.set(spec.sandboxId, left);
      else this.owned.creating.delete(spec.sandboxId);
    }
  }

  async destroy(sandboxId: string): Promise<void> {
    await this.informer.start();
    const podName = this.podName(sandboxId);
    const cached = this.informer.get(podName);
    this.owned.deleting.add(sandboxId);
    try {
      await this.api.deletePod(podName);
      if (cached?.spec?.imagePullSecrets?.some((s) => s.name === `${podName}-pull`)) await this.api.deleteSecret(`${podName}-pull`);
    } catch (err) {
      this.owned.deleting.delete(sandboxId);
      throw fromApiError(err, `deleting pod ${podName}`);
    }
    if (!this.informer.get(podName)) return;
    const signal = AbortSignal.timeout(this.options.deleteWaitMs ?? K8S_DEFAULTS.deleteWaitMs);
    await this.informer.waitFor(podName, (pod) => (pod ? undefined : { done: null }), signal).catch(() => {
      this.logger.warn({ sandboxId }, 'pod deletion accepted but the pod is still listed');
    });
  }

  async inspect(sandboxId: string): Promise<RuntimeState | null> {
    await this.informer.start();
    const pod = this.informer.get(this.podName(sandboxId));
    return pod && isOwnedBy(pod.metadata?.labels, this.instance) ? podState(pod) : null;
  }

  async list(): Promise<RuntimeResource[]> {
    await this.informer.start();
    return this.informer
      .list()
      .filter((pod) => isOwnedBy(pod.metadata?.labels, this.instance))
      .map(podResource);
  }

  /** List/watch counters of the informer (diagnostics, tests). */
  informerStats(): Readonly<InformerStats> {
    return { ...this.informer.stats };
  }

  async close(): Promise<void> {
    await this.informer.close();
    await this.api.close();
  }

  private podName(sandboxId: string): string {
    return `${this.options.namePrefix ?? K8S_DEFAULTS.namePrefix}${sandboxId}`;
  }

  private podFor(spec: SandboxSpec, podName: string): V1Pod {
    const pullSecrets = [...(this.options.imagePullSecrets ?? []), ...(spec.registryAuth ? [`${podName}-pull`] : [])];
    return sandboxPod(spec, {
      namespace: this.options.namespace,
      podName,
      instance: this.instance,
      rockletImage: this.options.rockletImage,
      activeDeadlineSeconds: this.options.activeDeadlineSeconds ?? K8S_DEFAULTS.activeDeadlineSeconds,
      nodeSelector: this.options.nodeSelector,
      tolerations: this.options.tolerations,
      runtimeClassName: this.options.runtimeClassName,
      imagePullSecrets: pullSecrets,
    });
  }

  private async createObjects(spec: SandboxSpec, pod: V1Pod): Promise<void> {
    const podName = pod.metadata?.name ?? '';
    try {
      if (spec.registryAuth) {
        const labels = sandboxLabels(spec.sandboxId, this.instance);
        await this.api.createSecret(pullSecret(`${podName}-pull`, this.options.namespace, labels, spec.image, spec.registryAuth));
      }
      await this.api.createPod(pod);
    } catch (err) {
      if (spec.registryAuth) await this.api.deleteSecret(`${podName}-pull`).catch(() => false);
      const error = fromApiError(err, `creating pod ${podName}`);
      throw error.code === 'CONFLICT' ? new RuntimeError('CONFLICT', `pod ${podName} already exists`, { cause: err }) : error;
    }
  }

  private async awaitReady(spec: SandboxSpec, podName: string, tracker: PodPhaseTracker, signal: AbortSignal): Promise<RuntimeHandle> {
    try {
      const pod = await this.informer.waitFor<V1Pod>(
        podName,
        (current) => {
          if (!current) return { fail: new RuntimeError('SANDBOX_EXITED', `pod ${podName} was deleted before rocklet became ready`) };
          const progress = podProgress(current);
          if (progress.kind === 'failed') return { fail: progress.error };
          tracker.advance(progress.kind);
          return progress.kind === 'ready' ? { done: current } : undefined;
        },
        signal,
      );
      return this.handle(spec.sandboxId, pod);
    } catch (err) {
      if (signal.aborted && !isRuntimeErrorWithPhase(err)) throw tracker.timeout(spec.startupTimeoutMs);
      throw tracker.fail(isRuntimeError(err) ? err : toPhaseError(err, tracker.current));
    }
  }

  private handle(sandboxId: string, pod: V1Pod): RuntimeHandle {
    const address = pod.status?.podIP ?? '';
    return {
      sandboxId,
      resourceId: pod.metadata?.uid ?? pod.metadata?.name ?? '',
      address,
      rockletPort: ROCKLET_PORT,
      rockletUrl: `http://${address}:${ROCKLET_PORT}`,
      portMapping: { [String(ROCKLET_PORT)]: String(ROCKLET_PORT) },
      hostName: pod.spec?.nodeName ?? this.options.hostName ?? K8S_DEFAULTS.hostName,
      hostIp: address,
      readyAt: new Date(this.clock.now()),
    };
  }

  private async removeQuietly(sandboxId: string): Promise<void> {
    try {
      await this.destroy(sandboxId);
    } catch (err) {
      this.logger.warn({ sandboxId, err: String(err) }, 'could not delete the pod of a failed create');
    }
  }

  private podDeleted(pod: V1Pod): void {
    const id = pod.metadata?.labels?.[SANDBOX_ID_LABEL];
    if (!id || this.owned.deleting.delete(id) || this.owned.creating.has(id)) return;
    this.reportLost(id, 'pod was deleted outside ROCK');
    this.owned.lost.delete(id);
  }

  private podUpdated(pod: V1Pod): void {
    const id = pod.metadata?.labels?.[SANDBOX_ID_LABEL];
    if (!id || !podEnded(pod) || this.owned.creating.has(id) || this.owned.deleting.has(id)) return;
    this.reportLost(id, `pod ended: ${podEndReason(pod)}`);
  }

  private reportLost(sandboxId: string, reason: string): void {
    if (this.owned.lost.has(sandboxId)) return;
    this.owned.lost.add(sandboxId);
    this.logger.warn({ sandboxId, reason }, 'sandbox pod lost');
    try {
      this.options.onLost?.(sandboxId, reason);
    } catch {
      // The hook is the caller's bookkeeping; its failure must not stop the informer.
    }
  }
}

/** An abort that happened while a phase failure was already decided keeps that failure. */
function isRuntimeErrorWithPhase(err: unknown): boolean {
  return isRuntimeError(err) && err.code !== 'ABORTED';
}
