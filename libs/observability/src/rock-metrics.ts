import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRIC_NAMES } from './metric-names';

/** Outcome of a finished operation, as a label value. */
export type Outcome = 'success' | 'failure';
/** Outcome of an HTTP request: `failed` = envelope `status: "Failed"` (business error), `error` = 5xx. */
export type HttpOutcome = 'success' | 'failed' | 'error';
/** Outcome of a rocklet call. */
export type RockletOutcome = 'success' | 'error' | 'timeout' | 'unreachable';
/** BullMQ job states reported as queue depth. */
export type QueueState = 'waiting' | 'active' | 'delayed' | 'failed' | 'prioritized' | 'waiting-children';

/** Options of {@link RockMetrics}. */
export interface RockMetricsOptions {
  /** `service` label on every series. */
  service: string;
  /** Also export process_* / nodejs_* metrics (default true). */
  collectProcessMetrics?: boolean;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const STARTUP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

/**
 * ROCK's Prometheus metrics on one private prom-client Registry per process (not the global one,
 * so several instances can coexist in tests). Services record through these typed methods and
 * never import prom-client (STYLE §2); `/metrics` serves {@link render}.
 */
export class RockMetrics {
  /** `Content-Type` of {@link render}'s output. */
  readonly contentType: string;
  private readonly registry = new Registry();
  private readonly sandboxes: Gauge<'state' | 'runtime'>;
  private readonly startup: Histogram<'runtime' | 'outcome'>;
  private readonly startupPhase: Histogram<'phase' | 'outcome'>;
  private readonly jobs: Counter<'type' | 'outcome'>;
  private readonly jobDuration: Histogram<'type' | 'outcome'>;
  private readonly queueDepth: Gauge<'queue' | 'state'>;
  private readonly http: Histogram<'method' | 'route' | 'status_code' | 'outcome'>;
  private readonly rocklet: Histogram<'operation' | 'outcome'>;
  private readonly reaper: Counter<'reason'>;
  private readonly reconciler: Counter<'action' | 'reason'>;
  private readonly admission: Counter<'limit'>;
  private readonly cache: Counter<'result'>;
  private readonly capacityCpus: Gauge<'kind'>;
  private readonly capacityMemory: Gauge<'kind'>;
  private readonly warmPoolReady: Gauge;
  private readonly warmPoolTakes: Counter<'outcome'>;

  constructor(options: RockMetricsOptions) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service: options.service });
    this.contentType = this.registry.contentType;
    if (options.collectProcessMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const N = METRIC_NAMES;
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Gauge<L>({ name, help, labelNames, registers });
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) =>
      new Histogram<L>({ name, help, labelNames, buckets, registers });
    this.sandboxes = gauge(N.sandboxes, 'Live sandboxes by state and runtime', ['state', 'runtime']);
    this.startup = histogram(N.sandboxStartupDuration, 'Create request to running, seconds', ['runtime', 'outcome'], STARTUP_BUCKETS);
    this.startupPhase = histogram(N.sandboxStartupPhaseDuration, 'One start phase, seconds', ['phase', 'outcome'], STARTUP_BUCKETS);
    this.jobs = counter(N.lifecycleJobs, 'Lifecycle jobs finished by type and outcome', ['type', 'outcome']);
    this.jobDuration = histogram(N.lifecycleJobDuration, 'Lifecycle job run time, seconds', ['type', 'outcome'], STARTUP_BUCKETS);
    this.queueDepth = gauge(N.queueDepth, 'Jobs in a queue by state', ['queue', 'state']);
    this.http = histogram(N.httpRequestDuration, 'HTTP request latency, seconds', ['method', 'route', 'status_code', 'outcome'], LATENCY_BUCKETS);
    this.rocklet = histogram(N.rockletCallDuration, 'Rocklet call latency, seconds', ['operation', 'outcome'], LATENCY_BUCKETS);
    this.reaper = counter(N.reaperActions, 'Sandboxes stopped by the reaper, by reason', ['reason']);
    this.reconciler = counter(N.reconcilerActions, 'Reconciler corrections by action and reason', ['action', 'reason']);
    this.admission = counter(N.admissionRejections, 'Creates refused by admission, by limit', ['limit']);
    this.cache = counter(N.registryCacheLookups, 'Registry cache lookups by result', ['result']);
    this.capacityCpus = gauge(N.capacityCpus, 'CPUs requested by live sandboxes vs allocatable', ['kind']);
    this.capacityMemory = gauge(N.capacityMemoryBytes, 'Memory bytes requested vs allocatable', ['kind']);
    this.warmPoolReady = gauge(N.localWarmPoolReady, 'Booted, unclaimed rocklets in the local warm pool', []);
    this.warmPoolTakes = counter(N.localWarmPoolTakes, 'Local creates by warm-pool outcome (hit, miss, bypass)', ['outcome']);
  }

  /** Replaces the live-sandbox gauge with fresh counts (rows absent now read as gone). */
  setSandboxCounts(rows: readonly { state: string; runtime: string; count: number }[]): void {
    this.sandboxes.reset();
    for (const row of rows) this.sandboxes.set({ state: row.state, runtime: row.runtime }, row.count);
  }

  /** Create request → running (`success`) or → failed start (`failure`). */
  observeStartup(runtime: string, outcome: Outcome, seconds: number): void {
    this.startup.observe({ runtime, outcome }, seconds);
  }

  /** One start phase's duration (`queued`, `image_pull`, `container_create`, …). */
  observeStartupPhase(phase: string, outcome: Outcome | 'timeout', seconds: number): void {
    this.startupPhase.observe({ phase, outcome }, seconds);
  }

  /** A finished lifecycle job (`create`, `destroy`, `restart`, …). */
  recordLifecycleJob(type: string, outcome: Outcome, seconds: number): void {
    this.jobs.inc({ type, outcome });
    this.jobDuration.observe({ type, outcome }, seconds);
  }

  /** Current job counts of a queue, e.g. from BullMQ `getJobCounts()`. */
  setQueueDepth(queue: string, counts: Partial<Record<QueueState, number>>): void {
    for (const [state, n] of Object.entries(counts)) this.queueDepth.set({ queue, state }, n);
  }

  /** One HTTP request; `route` is the route pattern (`/apis/envs/sandbox/v1/execute`), never a raw URL. */
  observeHttpRequest(labels: { method: string; route: string; statusCode: number; outcome: HttpOutcome }, seconds: number): void {
    const { method, route, statusCode, outcome } = labels;
    this.http.observe({ method, route, status_code: String(statusCode), outcome }, seconds);
  }

  /** One call from the read service to a rocklet (`execute`, `run_in_session`, …). */
  observeRockletCall(operation: string, outcome: RockletOutcome, seconds: number): void {
    this.rocklet.observe({ operation, outcome }, seconds);
  }

  /** The reaper stopped `count` sandboxes for `reason` (`idle_timeout`). */
  recordReaperAction(reason: string, count = 1): void {
    this.reaper.inc({ reason }, count);
  }

  /** The reconciler made `count` corrections (`destroy_orphan`/`no_record`, `mark_stopped`/`lost`, …). */
  recordReconcilerAction(action: string, reason: string, count = 1): void {
    this.reconciler.inc({ action, reason }, count);
  }

  /** Admission refused a create because of `limit` (`max_sandboxes`, `owner_max_millicpus`, …). */
  recordAdmissionRejection(limit: string): void {
    this.admission.inc({ limit });
  }

  /** A registry cache lookup in the read service. */
  recordCacheLookup(hit: boolean): void {
    this.cache.inc({ result: hit ? 'hit' : 'miss' });
  }

  /** Requested vs allocatable capacity; `null` allocatable = unknown (series left unset). */
  setCapacity(capacity: {
    requestedCpus: number;
    requestedMemoryBytes: number;
    allocatableCpus: number | null;
    allocatableMemoryBytes: number | null;
  }): void {
    this.capacityCpus.set({ kind: 'requested' }, capacity.requestedCpus);
    this.capacityMemory.set({ kind: 'requested' }, capacity.requestedMemoryBytes);
    if (capacity.allocatableCpus !== null) this.capacityCpus.set({ kind: 'allocatable' }, capacity.allocatableCpus);
    if (capacity.allocatableMemoryBytes !== null) {
      this.capacityMemory.set({ kind: 'allocatable' }, capacity.allocatableMemoryBytes);
    }
  }

  /** Ready rocklets in the local runtime's warm pool now. */
  setWarmPoolReady(ready: number): void {
    this.warmPoolReady.set(ready);
  }

  /** A local create took a pooled rocklet (`hit`), found the pool empty (`miss`) or bypassed it. */
  recordWarmPoolTake(outcome: 'hit' | 'miss' | 'bypass'): void {
    this.warmPoolTakes.inc({ outcome });
  }

  /** The Prometheus text exposition of every metric. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** A stopwatch: call the returned function to get elapsed seconds (monotonic clock). */
export function startTimer(): () => number {
  const started = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - started) / 1e9;
}
