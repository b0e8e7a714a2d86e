import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeys, boolean, integer, jsonObjectArray, keyPrefix, keyValueList, nameList, oneOf, positiveNumber, sizeInBytes, text, url, type TextParser } from './parsers';
import { findRepoRoot } from './repo-root';

/** One environment variable: how to parse it, its default text, and what it means. */
export interface VariableSpec<T, D extends string | null = string | null> {
  parse: TextParser<T>;
  /** Text used when the variable is unset or empty; `null` = no default (value `null`). */
  default: D;
  description: string;
  /** How the default reads in docs when it depends on the machine (`<repo>/dist/rocklet-runtime`). */
  documentedDefault?: string;
}

function variable<T, const D extends string | null>(
  parse: TextParser<T>,
  defaultText: D,
  description: string,
  documentedDefault?: string,
): VariableSpec<T, D> {
  return documentedDefault === undefined
    ? { parse, default: defaultText, description }
    : { parse, default: defaultText, description, documentedDefault };
}

const repoRoot = findRepoRoot();
export const RUNTIME_KINDS = ['docker', 'kubernetes', 'local'] as const;
export const SERVICE_MODES = ['local', 'write', 'read'] as const;
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * Every environment variable ROCK reads. This table is the documentation: `describeConfig()`
 * renders it, and the README's table is checked against it.
 */
export const VARIABLES = {
  ROCK_MODE: variable(oneOf(SERVICE_MODES), 'local', 'Which service this process runs: local (write + read on one port), write, or read.'),
  ROCK_HOST: variable(text(), null, 'Address to bind. Default 127.0.0.1 in local mode, 0.0.0.0 otherwise.'),
  ROCK_PORT: variable(integer(1, 65535), '8080', 'HTTP port of the admin/API server.'),
  ROCK_LOG_LEVEL: variable(oneOf(LOG_LEVELS), 'info', 'pino log level.'),
  ROCK_REDIS_URL: variable(url(['redis:', 'rediss:']), 'redis://127.0.0.1:6379', 'Redis holding the registry, queue and events.'),
  ROCK_REDIS_PREFIX: variable(keyPrefix(), 'rock:', 'Prefix of every registry key and of the events channel.'),
  ROCK_QUEUE_NAME: variable(text(), 'rock-lifecycle', 'BullMQ queue of lifecycle jobs.'),
  ROCK_QUEUE_PREFIX: variable(keyPrefix(), 'rock-bull', 'BullMQ key prefix (kept apart from the registry prefix).'),
  ROCK_WORKER_CONCURRENCY: variable(integer(1, 1000), '8', 'Lifecycle jobs one write replica runs at once.'),
  ROCK_RUNTIME: variable(oneOf(RUNTIME_KINDS), 'docker', 'Runtime driver for sandboxes: docker, kubernetes or local. Unset in local mode: Docker if the daemon answers, else local.'),
  ROCK_ROCKLET_BUNDLE_DIR: variable(text(), join(repoRoot, 'dist', 'rocklet-runtime'), 'Rocklet bundle mounted at /rock in every sandbox (make rocklet-bundle builds it).', '<repo>/dist/rocklet-runtime'),
  ROCK_ROCKLET_PORT: variable(integer(1, 65535), '22555', 'Port rocklet listens on inside a sandbox.'),
  ROCK_ROCKLET_CONNECT_TIMEOUT_MS: variable(integer(1), '5000', 'Budget for connecting to a rocklet (read service, readiness polls).'),
  ROCK_DOCKER_SOCKET: variable(text(), '/var/run/docker.sock', 'Docker Engine socket (docker runtime).'),
  ROCK_DOCKER_NETWORK: variable(text(), 'bridge', 'Docker network sandboxes join (docker runtime).'),
  ROCK_K8S_NAMESPACE: variable(text(), 'rock-sandboxes', 'Namespace of sandbox pods (kubernetes runtime).'),
  ROCK_K8S_ROCKLET_IMAGE: variable(text(), 'rock/rocklet-runtime:latest', 'Init-container image that copies the rocklet bundle (kubernetes runtime).'),
  ROCK_K8S_KUBECONFIG: variable(text(), null, 'Kubeconfig file the kubernetes runtime authenticates with. Unset: the pod\'s service account (in-cluster).'),
  ROCK_K8S_CONTEXT: variable(text(), null, 'Context of ROCK_K8S_KUBECONFIG to use. Unset: its current-context.'),
  ROCK_K8S_QPS: variable(positiveNumber(), '20', 'Client-side rate limit of API-server requests per second (kubernetes runtime).'),
  ROCK_K8S_BURST: variable(integer(1, 10000), '40', 'Requests the kubernetes runtime may send at once before ROCK_K8S_QPS applies.'),
  ROCK_K8S_ACTIVE_DEADLINE_SECONDS: variable(integer(60), '86400', 'activeDeadlineSeconds of every sandbox pod: a safety net that ends pods ROCK failed to delete.'),
  ROCK_K8S_NODE_SELECTOR: variable(keyValueList(), null, 'nodeSelector of sandbox pods as "key=value,...". Unset: none.'),
  ROCK_K8S_TOLERATIONS: variable(jsonObjectArray(), null, 'Tolerations of sandbox pods as a JSON array (Kubernetes toleration objects). Unset: none.'),
  ROCK_K8S_RUNTIME_CLASS: variable(text(), null, 'runtimeClassName of sandbox pods (e.g. gvisor, kata). Unset: the cluster default.'),
  ROCK_K8S_IMAGE_PULL_SECRETS: variable(nameList(), null, 'Existing dockerconfigjson Secrets (comma-separated) every sandbox pod may pull with. Start requests with registry credentials also get a per-sandbox Secret.'),
  ROCK_LOCAL_SANDBOX_DIR: variable(text(), join(tmpdir(), 'rock-local-sandboxes'), 'Working directories of local-runtime sandboxes.', '<tmpdir>/rock-local-sandboxes'),
  ROCK_LOCAL_WARM_POOL: variable(integer(0, 1000), '2', 'Pre-started rocklets the local runtime keeps ready (taken by creates, refilled in the background); 0 disables the pool.'),
  ROCK_DEFAULT_AUTO_CLEAR_MINUTES: variable(integer(1), '30', 'Idle TTL of a sandbox when the request gives no auto_clear_time_minutes.'),
  ROCK_DEFAULT_STARTUP_TIMEOUT: variable(positiveNumber(), '180', 'Seconds for image pull + start when the request gives no startup_timeout.'),
  ROCK_STOPPED_RETENTION_SECONDS: variable(integer(1), '86400', 'How long stopped records stay queryable (include_all_states).'),
  ROCK_OUTPUT_CAP_BYTES: variable(integer(1024), '1048576', 'Cap per output stream of execute/run_in_session (head and tail kept).'),
  ROCK_MAX_SANDBOXES: variable(integer(1), null, 'Cap on live sandboxes (pending + running). Unset: no cap.'),
  ROCK_MAX_TOTAL_CPUS: variable(positiveNumber(), null, 'Cap on the CPUs requested by live sandboxes. Unset: no cap.'),
  ROCK_MAX_TOTAL_MEMORY: variable(sizeInBytes(), null, 'Cap on the memory requested by live sandboxes (e.g. 256g). Unset: no cap.'),
  ROCK_PRINCIPAL_MAX_SANDBOXES: variable(integer(1), null, 'Per-principal cap on live sandboxes. Unset: no cap.'),
  ROCK_PRINCIPAL_MAX_CPUS: variable(positiveNumber(), null, 'Per-principal cap on requested CPUs. Unset: no cap.'),
  ROCK_PRINCIPAL_MAX_MEMORY: variable(sizeInBytes(), null, 'Per-principal cap on requested memory. Unset: no cap.'),
  ROCK_PRINCIPAL_CREATES_PER_MINUTE: variable(integer(1), null, 'Per-principal create rate limit. Unset: no limit.'),
  ROCK_REAPER_INTERVAL_MS: variable(integer(100), '5000', 'How often the reaper stops sandboxes past their idle deadline.'),
  ROCK_RECONCILER_INTERVAL_MS: variable(integer(1000), '30000', 'How often the reconciler compares the runtime with the registry.'),
  ROCK_REGISTRY_CACHE_TTL_MS: variable(integer(0), '2000', 'Read-service cache of registry records (also invalidated by events); 0 disables it.'),
  ROCK_API_KEYS: variable(apiKeys(), null, 'API keys as "key:principal,..." (keys >= 16 characters). Setting any enables authentication.'),
  ROCK_AUTH_ENABLED: variable(boolean(), null, 'Force authentication on or off. Default: on when ROCK_API_KEYS is set.'),
  ROCK_METRICS_ENABLED: variable(boolean(), 'true', 'Serve Prometheus metrics at /metrics.'),
  ROCK_GEM_DATA_DIR: variable(text(), null, 'GEM data directory (word lists: corpora/words, crosswords). Word games fail clearly without it.'),
  ROCK_INSTANCE: variable(text(), 'default', 'Value of the rock.instance label on every runtime resource; only resources of this instance are listed, reconciled or destroyed.'),
  ROCK_GEM_IMAGE: variable(
    text(),
    'rock/gem-base:1',
    'Image of the sandboxes GEM make creates (rocklet from the /rock bundle runs the env, so no image content is needed). The default rock/gem-base:1 is an empty rootfs the docker runtime imports itself when missing (no registry); the local runtime ignores images; on Kubernetes set a real tiny image (e.g. the rocklet-runtime image).',
  ),
  ROCK_SHUTDOWN_TIMEOUT_MS: variable(integer(0), '10000', 'Grace period for in-flight requests and jobs on SIGTERM.'),
} as const;

export type VariableName = keyof typeof VARIABLES;

/** The parsed value of every variable (`null` where unset without a default). */
export type VariableValues = {
  [K in VariableName]: (typeof VARIABLES)[K] extends VariableSpec<infer T, infer D> ? (D extends string ? T : T | null) : never;
};
