import {
  initialPhases,
  isoTimestamp,
  LIVE_STATES,
  type CallerContext,
  type Phases,
  type PullPolicy,
  type ResolvedSandboxStartRequest,
  type SandboxStartResponse,
  type SandboxState,
  type SandboxStatus,
  type StateHistoryItem,
} from '@rock/contracts';

/**
 * One sandbox as the registry stores it: the wire SandboxInfo fields (API.md §3) plus what the
 * control plane needs internally (owner, runtime, rocklet address and token, resources). Never send
 * a record to a client as is: {@link toSandboxStatus} strips the internal fields (the token!).
 */
export interface SandboxRecord extends Omit<SandboxStatus, 'is_alive'> {
  /** Principal that created the sandbox (API key owner, or `"anonymous"` without auth). */
  owner: string;
  /** Runtime driver that holds the sandbox (`docker`, `kubernetes`, `local`). */
  runtime: string;
  limit_cpus: number | null;
  memory_bytes: number;
  disk_bytes: number;
  /** CPUs in thousandths, the unit of the running totals. */
  millicpus: number;
  env: Record<string, string>;
  pull: PullPolicy;
  image_os: string;
  auto_clear_minutes: number;
  startup_timeout: number;
  /** Create time in epoch ms (alive-set score). */
  create_ms: number;
  /** Base URL of the sandbox's rocklet (`http://10.0.0.5:22555`), once known. */
  rocklet_url: string | null;
  /** Bearer token the rocklet requires (`ROCKLET_TOKEN`). */
  rocklet_token: string | null;
  /** Runtime resource id (container id, pod name, process id). */
  resource_id: string | null;
}

/** Fields a caller may patch (state and history only change through `transition`). */
export type RecordPatch = Partial<
  Omit<SandboxRecord, 'sandbox_id' | 'state' | 'state_history' | 'owner' | 'create_ms' | 'create_time'>
>;

type Codec = 'string' | 'number' | 'json' | 'nullableString' | 'nullableNumber';

/** How each record field is stored in the hash (everything is a string in Redis). */
const CODECS: Record<keyof SandboxRecord, Codec> = {
  sandbox_id: 'string', status: 'json', state: 'string', port_mapping: 'json', host_name: 'string',
  host_ip: 'string', image: 'string', metadata: 'json', user_id: 'string', experiment_id: 'string',
  namespace: 'string', cluster: 'string', cpus: 'number', memory: 'string', disk: 'string',
  num_gpus: 'nullableNumber', accelerator_type: 'nullableString', create_time: 'string',
  start_time: 'nullableString', stop_time: 'nullableString', auto_stop_time: 'nullableString',
  state_history: 'json', failure_reason: 'string', swe_rex_version: 'string', gateway_version: 'string',
  owner: 'string', runtime: 'string', limit_cpus: 'nullableNumber', memory_bytes: 'number',
  disk_bytes: 'number', millicpus: 'number', env: 'json', pull: 'string', image_os: 'string',
  auto_clear_minutes: 'number', startup_timeout: 'number', create_ms: 'number',
  rocklet_url: 'nullableString', rocklet_token: 'nullableString', resource_id: 'nullableString',
};

/** Encodes fields for HSET; `null` → `null` (the Lua scripts HDEL it). */
export function encodeFields(fields: Partial<SandboxRecord>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(fields)) {
    const codec = CODECS[name as keyof SandboxRecord];
    if (codec === undefined || value === undefined) continue;
    if (value === null) out[name] = null;
    else out[name] = codec === 'json' ? JSON.stringify(value) : String(value);
  }
  return out;
}

function decodeField(codec: Codec, raw: string | undefined): unknown {
  switch (codec) {
    case 'string':
      return raw ?? '';
    case 'number':
      return raw === undefined ? 0 : Number(raw);
    case 'nullableString':
      return raw ?? null;
    case 'nullableNumber':
      return raw === undefined ? null : Number(raw);
    case 'json':
      return raw === undefined || raw === '' ? null : (JSON.parse(raw) as unknown);
  }
}

/** Decodes an HGETALL map; `null` for an empty map (no such record). */
export function decodeRecord(hash: Record<string, string>): SandboxRecord | null {
  if (hash.state === undefined) return null;
  const record: Record<string, unknown> = {};
  for (const [name, codec] of Object.entries(CODECS) as [keyof SandboxRecord, Codec][]) {
    record[name] = decodeField(codec, hash[name]);
  }
  record.status ??= initialPhases();
  record.port_mapping ??= {};
  record.metadata ??= {};
  record.env ??= {};
  record.state_history ??= [];
  return record as unknown as SandboxRecord;
}

/** Decodes a flat `[field, value, …]` reply (HGETALL inside a script). */
export function decodeFlatRecord(flat: readonly string[]): SandboxRecord | null {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string;
  return decodeRecord(hash);
}

/** What `create` needs beyond the start request. */
export interface NewSandboxContext {
  caller: CallerContext;
  owner: string;
  runtime: string;
  /** Token the rocklet will require; generated by the write service. */
  rockletToken: string;
  nowMs: number;
}

/** A fresh `pending` record for a validated start request (history: `"" → pending`, `create`). */
export function newSandboxRecord(req: ResolvedSandboxStartRequest, ctx: NewSandboxContext): SandboxRecord {
  const now = isoTimestamp(ctx.nowMs);
  const history: StateHistoryItem[] = [{ from_state: '', to_state: 'pending', event: 'create', timestamp: now }];
  const phases: Phases = initialPhases();
  return {
    sandbox_id: req.sandbox_id, state: 'pending', status: phases, port_mapping: {}, host_name: '', host_ip: '',
    image: req.image, metadata: req.metadata, ...ctx.caller, cpus: req.cpus, memory: req.memory, disk: req.disk,
    num_gpus: req.num_gpus, accelerator_type: req.accelerator_type, create_time: now, start_time: null,
    stop_time: null, auto_stop_time: isoTimestamp(ctx.nowMs + req.auto_clear_time_minutes * 60_000),
    state_history: history, failure_reason: '', swe_rex_version: '', gateway_version: '', owner: ctx.owner,
    runtime: ctx.runtime, limit_cpus: req.limit_cpus, memory_bytes: req.memory_bytes, disk_bytes: req.disk_bytes,
    millicpus: Math.round(req.cpus * 1000), env: req.env, pull: req.pull, image_os: req.image_os,
    auto_clear_minutes: req.auto_clear_time_minutes, startup_timeout: req.startup_timeout, create_ms: ctx.nowMs,
    rocklet_url: null, rocklet_token: ctx.rockletToken, resource_id: null,
  };
}

/** True for `pending` and `running`. */
export function isLiveState(state: SandboxState): boolean {
  return LIVE_STATES.includes(state);
}

/** The wire SandboxStatusResponse of a record: internal fields (token, env, owner) removed. */
export function toSandboxStatus(record: SandboxRecord): SandboxStatus {
  return {
    sandbox_id: record.sandbox_id, status: record.status, state: record.state, port_mapping: record.port_mapping,
    host_name: record.host_name, host_ip: record.host_ip, is_alive: record.state === 'running',
    image: record.image, metadata: record.metadata, user_id: record.user_id, experiment_id: record.experiment_id,
    namespace: record.namespace, cluster: record.cluster, cpus: record.cpus, memory: record.memory,
    disk: record.disk, num_gpus: record.num_gpus, accelerator_type: record.accelerator_type,
    create_time: record.create_time, start_time: record.start_time, stop_time: record.stop_time,
    auto_stop_time: record.auto_stop_time, state_history: record.state_history,
    failure_reason: record.failure_reason, swe_rex_version: record.swe_rex_version,
    gateway_version: record.gateway_version,
  };
}

/** The SandboxStartResponse of a record (`start`, `start_async`, `restart`). */
export function toStartResponse(record: SandboxRecord): SandboxStartResponse {
  return {
    sandbox_id: record.sandbox_id,
    host_name: record.host_name,
    host_ip: record.host_ip,
    cpus: record.cpus,
    memory: record.memory,
    disk: record.disk,
  };
}
