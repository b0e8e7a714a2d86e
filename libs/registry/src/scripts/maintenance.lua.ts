import { LUA_COMMON, LuaScript } from './lua-script';

/**
 * touch: slide a live sandbox's idle deadline forward (never backward, so replicas with skewed
 * clocks cannot shorten it).
 * KEYS[1] record hash, KEYS[2] expiry zset
 * ARGV[1] sandbox id, ARGV[2] new deadline ms, ARGV[3] the deadline as ISO-8601
 * Returns 1 when the deadline moved, 0 when unchanged, -1 when not live or missing.
 */
export const touchScript = new LuaScript(
  'touch',
  `${LUA_COMMON}
local state = redis.call('HGET', KEYS[1], 'state')
if not state or not is_live(state) then return -1 end
local changed = redis.call('ZADD', KEYS[2], 'GT', 'CH', ARGV[2], ARGV[1])
if changed == 1 then redis.call('HSET', KEYS[1], 'auto_stop_time', ARGV[3]) end
return changed
`,
);

/**
 * patch: update fields without a state change (phase progress, address, token), only while the
 * record is in one of the allowed states.
 * KEYS[1] record hash
 * ARGV[1] sandbox id, ARGV[2] allowed states, comma-separated ('' = any), ARGV[3] patch JSON
 * ARGV[4] events channel, ARGV[5] timestamp, ARGV[6] '0' to answer without the record
 * Returns {'ok', HGETALL…} ({'ok'} when ARGV[6] is '0') | {'missing'} | {'illegal', current_state}
 */
export const patchScript = new LuaScript(
  'patch',
  `${LUA_COMMON}
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'missing'} end
if ARGV[2] ~= '' then
  local allowed = false
  for s in string.gmatch(ARGV[2], '[^,]+') do
    if s == state then allowed = true end
  end
  if not allowed then return {'illegal', state} end
end
apply_patch(KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], cjson.encode({type = 'updated', sandbox_id = ARGV[1], from_state = state,
  state = state, event = 'update', timestamp = ARGV[5], owner = redis.call('HGET', KEYS[1], 'owner') or ''}))
if ARGV[6] == '0' then return {'ok'} end
local out = {'ok'}
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do table.insert(out, v) end
return out
`,
);

/**
 * purge: remove a record entirely, undoing its live bookkeeping if it was live.
 * KEYS[1] record hash, KEYS[2] alive zset, KEYS[3] expiry zset
 * ARGV[1] key prefix, ARGV[2] sandbox id, ARGV[3] events channel, ARGV[4] timestamp
 * Returns 1 when a record was removed, 0 when there was none.
 */
export const purgeScript = new LuaScript(
  'purge',
  `${LUA_COMMON}
local state = redis.call('HGET', KEYS[1], 'state')
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
if not state then return 0 end
local owner = ''
if is_live(state) then owner = account(ARGV[1], KEYS[1], ARGV[2], -1) end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[3], cjson.encode({type = 'purged', sandbox_id = ARGV[2], from_state = state,
  state = state, event = 'purge', timestamp = ARGV[4], owner = owner}))
return 1
`,
);

/**
 * recompute_totals: rebuild the global and per-owner running totals and owner sets from the alive
 * set, dropping alive/expiry entries whose record is gone or no longer live (repairs drift after
 * manual edits or a crash between scripts). O(live + owners); run by the reconciler.
 * KEYS[1] alive zset, KEYS[2] expiry zset, KEYS[3] totals hash, KEYS[4] owners set
 * ARGV[1] key prefix
 * Returns {count, millicpus, memory_bytes, dropped}
 */
export const recomputeTotalsScript = new LuaScript(
  'recompute_totals',
  `${LUA_COMMON}
local p = ARGV[1]
local count, mc, mem, dropped = 0, 0, 0, 0
local owners = {}
for _, o in ipairs(redis.call('SMEMBERS', KEYS[4])) do owners[o] = {ids = {}, mc = 0, mem = 0} end
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local f = redis.call('HMGET', p .. 'sbx:' .. id, 'state', 'millicpus', 'memory_bytes', 'owner')
  if f[1] and is_live(f[1]) then
    local m, b, o = tonumber(f[2] or '0') or 0, tonumber(f[3] or '0') or 0, f[4] or ''
    count, mc, mem = count + 1, mc + m, mem + b
    owners[o] = owners[o] or {ids = {}, mc = 0, mem = 0}
    table.insert(owners[o].ids, id)
    owners[o].mc, owners[o].mem = owners[o].mc + m, owners[o].mem + b
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    dropped = dropped + 1
  end
end
redis.call('HSET', KEYS[3], 'count', count, 'millicpus', mc, 'memory_bytes', mem)
for o, agg in pairs(owners) do
  redis.call('DEL', p .. 'owner:' .. o)
  if #agg.ids > 0 then
    for _, id in ipairs(agg.ids) do redis.call('SADD', p .. 'owner:' .. o, id) end
    redis.call('SADD', KEYS[4], o)
  else
    redis.call('SREM', KEYS[4], o)
  end
  redis.call('HSET', p .. 'owner-totals:' .. o, 'count', #agg.ids, 'millicpus', agg.mc, 'memory_bytes', agg.mem)
end
return {count, mc, mem, dropped}
`,
);
