/**
 * Every metric ROCK exports (ARCHITECTURE §6). Dashboards and alert rules are checked against
 * these names, so rename only together with deploy/grafana and deploy/prometheus.
 * Every series also carries the `service` label (`write`, `read`, `local`, `rocklet`).
 */
export const METRIC_NAMES = {
  /** gauge {state, runtime}: live sandboxes. */
  sandboxes: 'rock_sandboxes',
  /** histogram {runtime, outcome}: create request → running (or failed). */
  sandboxStartupDuration: 'rock_sandbox_startup_duration_seconds',
  /** histogram {phase, outcome}: one start phase (queued, image_pull, container_create, …). */
  sandboxStartupPhaseDuration: 'rock_sandbox_startup_phase_duration_seconds',
  /** counter {type, outcome}: lifecycle jobs finished (create, destroy, restart, …). */
  lifecycleJobs: 'rock_lifecycle_jobs_total',
  /** histogram {type, outcome}: lifecycle job run time. */
  lifecycleJobDuration: 'rock_lifecycle_job_duration_seconds',
  /** gauge {queue, state}: jobs waiting/active/delayed/failed in a BullMQ queue. */
  queueDepth: 'rock_queue_depth',
  /** histogram {method, route, status_code, outcome}: HTTP request latency. */
  httpRequestDuration: 'rock_http_request_duration_seconds',
  /** histogram {operation, outcome}: read service → rocklet call latency. */
  rockletCallDuration: 'rock_rocklet_call_duration_seconds',
  /** counter {reason}: sandboxes the reaper stopped. */
  reaperActions: 'rock_reaper_actions_total',
  /** counter {action, reason}: corrections the reconciler made. */
  reconcilerActions: 'rock_reconciler_actions_total',
  /** counter {limit}: creates refused by admission (capacity or quota). */
  admissionRejections: 'rock_admission_rejections_total',
  /** counter {result=hit|miss}: read-service registry cache lookups. */
  registryCacheLookups: 'rock_registry_cache_lookups_total',
  /** gauge {kind=requested|allocatable}: CPUs requested by live sandboxes vs the runtime's capacity. */
  capacityCpus: 'rock_capacity_cpus',
  /** gauge {kind=requested|allocatable}: memory bytes requested vs capacity. */
  capacityMemoryBytes: 'rock_capacity_memory_bytes',
  /** gauge: booted, unclaimed rocklets in the local runtime's warm pool. */
  localWarmPoolReady: 'rock_local_warm_pool_ready',
  /** counter {outcome=hit|miss|bypass}: local creates that took a pooled rocklet, found none, or could not use one. */
  localWarmPoolTakes: 'rock_local_warm_pool_takes_total',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/** Every ROCK metric name (without the process_/nodejs_ defaults). */
export const ALL_METRIC_NAMES: readonly MetricName[] = Object.values(METRIC_NAMES);
