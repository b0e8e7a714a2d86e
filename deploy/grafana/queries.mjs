// PromQL of the ROCK dashboards, kept apart from layout (generate.mjs turns this into Grafana JSON).
// Only metric names from libs/observability/src/metric-names.ts; test/helm/dashboards.test.ts
// fails when a query names a metric the services do not export.
// `$service` filters on the `service` label every series carries (write, read, local).

const svc = 'service=~"$service"';

/** @type {{ uid: string, title: string, rows: { title: string, panels: { title: string, unit: string, kind?: 'timeseries' | 'stat', queries: { expr: string, legend: string }[] }[] }[] }[]} */
export const DASHBOARDS = [
  {
    uid: 'rock-overview',
    title: 'ROCK / Overview',
    rows: [
      {
        title: 'Sandboxes',
        panels: [
          { title: 'Live sandboxes', unit: 'short', kind: 'stat', queries: [{ expr: `sum(max by (state) (rock_sandboxes{service="write", state=~"pending|running"}))`, legend: 'live' }] },
          { title: 'Sandboxes by state', unit: 'short', queries: [{ expr: `max by (state, runtime) (rock_sandboxes{service="write"})`, legend: '{{state}} ({{runtime}})' }] },
          { title: 'Startup p50 / p95', unit: 's', queries: [
            { expr: `histogram_quantile(0.5, sum by (le) (rate(rock_sandbox_startup_duration_seconds_bucket{outcome="success"}[5m])))`, legend: 'p50' },
            { expr: `histogram_quantile(0.95, sum by (le) (rate(rock_sandbox_startup_duration_seconds_bucket{outcome="success"}[5m])))`, legend: 'p95' },
          ] },
          { title: 'Startup failures / s', unit: 'ops', queries: [{ expr: `sum by (runtime) (rate(rock_sandbox_startup_duration_seconds_count{outcome="failure"}[5m]))`, legend: '{{runtime}}' }] },
        ],
      },
      {
        title: 'Requests',
        panels: [
          { title: 'HTTP requests / s by route', unit: 'reqps', queries: [{ expr: `sum by (service, route) (rate(rock_http_request_duration_seconds_count{${svc}}[5m]))`, legend: '{{service}} {{route}}' }] },
          { title: 'HTTP p95 latency by route', unit: 's', queries: [{ expr: `histogram_quantile(0.95, sum by (le, route) (rate(rock_http_request_duration_seconds_bucket{${svc}}[5m])))`, legend: '{{route}}' }] },
          { title: 'HTTP errors / s by outcome', unit: 'reqps', queries: [{ expr: `sum by (service, outcome) (rate(rock_http_request_duration_seconds_count{${svc}, outcome!="success"}[5m]))`, legend: '{{service}} {{outcome}}' }] },
          { title: 'Rocklet call p95 by operation', unit: 's', queries: [{ expr: `histogram_quantile(0.95, sum by (le, operation) (rate(rock_rocklet_call_duration_seconds_bucket[5m])))`, legend: '{{operation}}' }] },
        ],
      },
      {
        title: 'Capacity',
        panels: [
          { title: 'CPUs requested vs allocatable', unit: 'short', queries: [{ expr: `max by (kind) (rock_capacity_cpus{service="write"})`, legend: '{{kind}}' }] },
          { title: 'Memory requested vs allocatable', unit: 'bytes', queries: [{ expr: `max by (kind) (rock_capacity_memory_bytes{service="write"})`, legend: '{{kind}}' }] },
          { title: 'Admission rejections / s by limit', unit: 'ops', queries: [{ expr: `sum by (limit) (rate(rock_admission_rejections_total[5m]))`, legend: '{{limit}}' }] },
          { title: 'Registry cache hit ratio (read)', unit: 'percentunit', queries: [{ expr: `sum(rate(rock_registry_cache_lookups_total{result="hit"}[5m])) / clamp_min(sum(rate(rock_registry_cache_lookups_total[5m])), 1e-9)`, legend: 'hit ratio' }] },
        ],
      },
    ],
  },
  {
    uid: 'rock-lifecycle',
    title: 'ROCK / Lifecycle queue',
    rows: [
      {
        title: 'Queue',
        panels: [
          { title: 'Queue depth by state', unit: 'short', queries: [{ expr: `max by (queue, state) (rock_queue_depth)`, legend: '{{queue}} {{state}}' }] },
          { title: 'Jobs / s by type and outcome', unit: 'ops', queries: [{ expr: `sum by (type, outcome) (rate(rock_lifecycle_jobs_total[5m]))`, legend: '{{type}} {{outcome}}' }] },
          { title: 'Job p95 duration by type', unit: 's', queries: [{ expr: `histogram_quantile(0.95, sum by (le, type) (rate(rock_lifecycle_job_duration_seconds_bucket[5m])))`, legend: '{{type}}' }] },
          { title: 'Start phase p95 by phase', unit: 's', queries: [{ expr: `histogram_quantile(0.95, sum by (le, phase) (rate(rock_sandbox_startup_phase_duration_seconds_bucket[5m])))`, legend: '{{phase}}' }] },
          { title: 'Local warm pool: ready rocklets and takes / s', unit: 'short', queries: [{ expr: `max(rock_local_warm_pool_ready{service=~"write|local"})`, legend: 'ready' }, { expr: `sum by (outcome) (rate(rock_local_warm_pool_takes_total[5m]))`, legend: 'takes {{outcome}}' }] },
        ],
      },
      {
        title: 'Housekeeping',
        panels: [
          { title: 'Reaper stops / s by reason', unit: 'ops', queries: [{ expr: `sum by (reason) (rate(rock_reaper_actions_total[5m]))`, legend: '{{reason}}' }] },
          { title: 'Reconciler corrections / s', unit: 'ops', queries: [{ expr: `sum by (action, reason) (rate(rock_reconciler_actions_total[5m]))`, legend: '{{action}} {{reason}}' }] },
          { title: 'Start phase timeouts / s', unit: 'ops', queries: [{ expr: `sum by (phase) (rate(rock_sandbox_startup_phase_duration_seconds_count{outcome="timeout"}[5m]))`, legend: '{{phase}}' }] },
        ],
      },
    ],
  },
];
