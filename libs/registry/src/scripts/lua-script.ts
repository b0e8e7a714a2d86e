import { createHash } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';

/** A Lua script run with EVALSHA, falling back to EVAL once when Redis has not cached it. */
export class LuaScript {
  private readonly sha: string;
  constructor(
    readonly name: string,
    private readonly lua: string,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }

  /** Queues an EVALSHA on a pipeline; a `NOSCRIPT` reply is the caller's cue to {@link run} it. */
  queue(pipeline: ChainableCommander, keys: readonly string[], args: readonly (string | number)[]): void {
    pipeline.evalsha(this.sha, keys.length, ...keys, ...args);
  }
}

/** Whether a reply error means Redis has not cached the script (after a restart or flush). */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** Lua shared by the scripts: live-state test and running-total bookkeeping. */
export const LUA_COMMON = `
local function is_live(state) return state == 'pending' or state == 'running' end

-- Adds (sign 1) or removes (sign -1) a record's CPUs/memory to the global and per-owner totals
-- and its id to the owner's live set. Keys are derived from the prefix: plain Redis, not Cluster.
local function account(prefix, rec_key, id, sign)
  local f = redis.call('HMGET', rec_key, 'owner', 'millicpus', 'memory_bytes')
  local owner, mc, mem = f[1] or '', tonumber(f[2] or '0') or 0, tonumber(f[3] or '0') or 0
  for _, key in ipairs({prefix .. 'totals', prefix .. 'owner-totals:' .. owner}) do
    redis.call('HINCRBY', key, 'count', sign)
    redis.call('HINCRBY', key, 'millicpus', sign * mc)
    redis.call('HINCRBY', key, 'memory_bytes', sign * mem)
  end
  if sign > 0 then
    redis.call('SADD', prefix .. 'owner:' .. owner, id)
    redis.call('SADD', prefix .. 'owners', owner)
  else
    redis.call('SREM', prefix .. 'owner:' .. owner, id)
  end
  return owner
end

-- One HSET for the set fields and one HDEL for the removed ones (not a call per field).
local function apply_patch(rec_key, patch_json)
  local patch = cjson.decode(patch_json)
  local set, del = {}, {}
  for field, value in pairs(patch) do
    if value == cjson.null then
      del[#del + 1] = field
    else
      set[#set + 1] = field
      set[#set + 1] = tostring(value)
    end
  end
  if #set > 0 then redis.call('HSET', rec_key, unpack(set)) end
  if #del > 0 then redis.call('HDEL', rec_key, unpack(del)) end
end
`;
