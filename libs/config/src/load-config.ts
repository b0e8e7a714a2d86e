import { VARIABLES, type VariableName, type VariableSpec, type VariableValues } from './variables';

/** Raised at boot when configuration is invalid; `message` lists every bad variable. */
export class ConfigError extends Error {
  readonly code = 'ROCK_INVALID_CONFIG';
  constructor(
    /** One `"ROCK_X: <rule>"` entry per bad variable. */
    readonly problems: string[],
  ) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Admission caps; `null` = no cap. Memory in bytes. */
export interface AdmissionCaps {
  maxSandboxes: number | null;
  maxCpus: number | null;
  maxMemoryBytes: number | null;
}

/** The Kubernetes driver's settings (`runtime.kubernetes`); `@rock/runtime` takes this shape as is. */
export interface KubernetesConfig {
  namespace: string;
  rockletImage: string;
  /** Kubeconfig path; null = in-cluster service account. */
  kubeconfig: string | null;
  context: string | null;
  qps: number;
  burst: number;
  activeDeadlineSeconds: number;
  nodeSelector: Readonly<Record<string, string>>;
  tolerations: ReadonlyArray<Record<string, unknown>>;
  runtimeClassName: string | null;
  imagePullSecrets: readonly string[];
}

/** Typed, validated, frozen configuration of one ROCK process. */
export interface RockConfig {
  mode: VariableValues['ROCK_MODE'];
  http: { host: string; port: number; shutdownTimeoutMs: number };
  log: { level: VariableValues['ROCK_LOG_LEVEL'] };
  redis: { url: string; prefix: string };
  queue: { name: string; prefix: string; concurrency: number };
  runtime: {
    kind: VariableValues['ROCK_RUNTIME'];
    /** `false` when ROCK_RUNTIME was unset: local mode may then pick Docker or local by probing. */
    kindExplicit: boolean;
    rockletBundleDir: string;
    rockletPort: number;
    rockletConnectTimeoutMs: number;
    docker: { socketPath: string; network: string };
    kubernetes: KubernetesConfig;
    /** `warmPool`: pre-started rocklets kept ready (0 = off). */
    local: { sandboxDir: string; warmPool: number };
  };
  sandbox: {
    defaultAutoClearMinutes: number;
    defaultStartupTimeoutSeconds: number;
    stoppedRetentionSeconds: number;
    outputCapBytes: number;
  };
  admission: AdmissionCaps & {
    perPrincipal: AdmissionCaps & { createsPerMinute: number | null };
  };
  schedules: { reaperIntervalMs: number; reconcilerIntervalMs: number };
  registry: { cacheTtlMs: number };
  auth: { enabled: boolean; apiKeys: ReadonlyMap<string, string> };
  metrics: { enabled: boolean };
  gem: { dataDir: string | null; image: string };
  /** Value of the `rock.instance` label (ROCK_INSTANCE). */
  instance: string;
}

/** One documented variable, for the README table and `rock admin config`. */
export interface ConfigVariableDoc {
  name: VariableName;
  /** Default text, or `null` when unset means "none". */
  default: string | null;
  description: string;
}

/** Documentation of every variable, in declaration order (machine-dependent defaults symbolic). */
export function describeConfig(): ConfigVariableDoc[] {
  return (Object.keys(VARIABLES) as VariableName[]).map((name) => {
    const spec: VariableSpec<unknown> = VARIABLES[name];
    return { name, default: spec.documentedDefault ?? spec.default, description: spec.description };
  });
}

function parseVariables(env: Readonly<Record<string, string | undefined>>): VariableValues {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    const spec = VARIABLES[name];
    const raw = env[name];
    const text = raw === undefined || raw.trim() === '' ? spec.default : raw;
    if (text === null) {
      values[name] = null;
      continue;
    }
    const parsed = spec.parse.safeParse(text);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${name}: ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as VariableValues;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Map)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function assemble(v: VariableValues, env: Readonly<Record<string, string | undefined>>): RockConfig {
  const apiKeys = v.ROCK_API_KEYS ?? new Map<string, string>();
  return {
    mode: v.ROCK_MODE,
    http: {
      host: v.ROCK_HOST ?? (v.ROCK_MODE === 'local' ? '127.0.0.1' : '0.0.0.0'),
      port: v.ROCK_PORT,
      shutdownTimeoutMs: v.ROCK_SHUTDOWN_TIMEOUT_MS,
    },
    log: { level: v.ROCK_LOG_LEVEL },
    redis: { url: v.ROCK_REDIS_URL, prefix: v.ROCK_REDIS_PREFIX },
    queue: { name: v.ROCK_QUEUE_NAME, prefix: v.ROCK_QUEUE_PREFIX, concurrency: v.ROCK_WORKER_CONCURRENCY },
    runtime: {
      kind: v.ROCK_RUNTIME,
      kindExplicit: (env.ROCK_RUNTIME ?? '').trim() !== '',
      rockletBundleDir: v.ROCK_ROCKLET_BUNDLE_DIR,
      rockletPort: v.ROCK_ROCKLET_PORT,
      rockletConnectTimeoutMs: v.ROCK_ROCKLET_CONNECT_TIMEOUT_MS,
      docker: { socketPath: v.ROCK_DOCKER_SOCKET, network: v.ROCK_DOCKER_NETWORK },
      kubernetes: {
        namespace: v.ROCK_K8S_NAMESPACE,
        rockletImage: v.ROCK_K8S_ROCKLET_IMAGE,
        kubeconfig: v.ROCK_K8S_KUBECONFIG,
        context: v.ROCK_K8S_CONTEXT,
        qps: v.ROCK_K8S_QPS,
        burst: v.ROCK_K8S_BURST,
        activeDeadlineSeconds: v.ROCK_K8S_ACTIVE_DEADLINE_SECONDS,
        nodeSelector: v.ROCK_K8S_NODE_SELECTOR ?? {},
        tolerations: v.ROCK_K8S_TOLERATIONS ?? [],
        runtimeClassName: v.ROCK_K8S_RUNTIME_CLASS,
        imagePullSecrets: v.ROCK_K8S_IMAGE_PULL_SECRETS ?? [],
      },
      local: { sandboxDir: v.ROCK_LOCAL_SANDBOX_DIR, warmPool: v.ROCK_LOCAL_WARM_POOL },
    },
    sandbox: {
      defaultAutoClearMinutes: v.ROCK_DEFAULT_AUTO_CLEAR_MINUTES,
      defaultStartupTimeoutSeconds: v.ROCK_DEFAULT_STARTUP_TIMEOUT,
      stoppedRetentionSeconds: v.ROCK_STOPPED_RETENTION_SECONDS,
      outputCapBytes: v.ROCK_OUTPUT_CAP_BYTES,
    },
    admission: {
      maxSandboxes: v.ROCK_MAX_SANDBOXES,
      maxCpus: v.ROCK_MAX_TOTAL_CPUS,
      maxMemoryBytes: v.ROCK_MAX_TOTAL_MEMORY,
      perPrincipal: {
        maxSandboxes: v.ROCK_PRINCIPAL_MAX_SANDBOXES,
        maxCpus: v.ROCK_PRINCIPAL_MAX_CPUS,
        maxMemoryBytes: v.ROCK_PRINCIPAL_MAX_MEMORY,
        createsPerMinute: v.ROCK_PRINCIPAL_CREATES_PER_MINUTE,
      },
    },
    schedules: { reaperIntervalMs: v.ROCK_REAPER_INTERVAL_MS, reconcilerIntervalMs: v.ROCK_RECONCILER_INTERVAL_MS },
    registry: { cacheTtlMs: v.ROCK_REGISTRY_CACHE_TTL_MS },
    auth: { enabled: v.ROCK_AUTH_ENABLED ?? apiKeys.size > 0, apiKeys },
    metrics: { enabled: v.ROCK_METRICS_ENABLED },
    gem: { dataDir: v.ROCK_GEM_DATA_DIR, image: v.ROCK_GEM_IMAGE },
    instance: v.ROCK_INSTANCE,
  };
}

/**
 * Parses and validates ROCK's environment into a frozen {@link RockConfig}. Unset or empty
 * variables take their documented default. Throws one {@link ConfigError} naming every bad
 * variable (`"ROCK_PORT: must be an integer 1-65535; ROCK_RUNTIME: must be one of …"`).
 * `overrides` win over `env` (e.g. the CLI's `--env local` sets `ROCK_MODE`).
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Readonly<Partial<Record<VariableName, string>>> = {},
): RockConfig {
  const merged = { ...env, ...overrides };
  return deepFreeze(assemble(parseVariables(merged), merged));
}

/** The variables as a Markdown table (`| variable | default | meaning |`), for the README. */
export function renderConfigTable(): string {
  const rows = describeConfig().map(
    (doc) => `| \`${doc.name}\` | ${doc.default === null ? '(unset)' : `\`${doc.default}\``} | ${doc.description} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
