import { LUA_COMMON, LuaScript } from './lua-script';

/**
 * create: admission check + insert of a `pending` record, atomically, so concurrent creates can
 * never overshoot a cap and a live id can never be taken twice.
 *
 * KEYS[1] record hash `<p>sbx:<id>`
 * KEYS[2] alive zset, KEYS[3] expiry zset, KEYS[4] totals hash,
 * KEYS[5] owner set, KEYS[6] owner totals hash, KEYS[7] owner create-rate counter
 * ARGV[1] key prefix           ARGV[2] sandbox id
 * ARGV[3] record fields, JSON object of strings (incl. state, state_history, owner, millicpus,
 *         memory_bytes)
 * ARGV[4] create time ms (alive score)   ARGV[5] idle deadline ms (expiry score)
 * ARGV[6] caps, JSON object; absent key = no cap: max_sandboxes, max_millicpus, max_memory_bytes,
 *         owner_max_sandboxes, owner_max_millicpus, owner_max_memory_bytes, owner_creates_per_minute
 * ARGV[7] events channel       ARGV[8] event JSON published on success
 * Returns {'ok'} | {'exists', state} | {'rejected', limit, current, max}
 * A non-live record with the same id (stopped/deleted) is replaced.
 */
export const createScript = new LuaScript(
  'create',
  `${LUA_COMMON}
local rec_key = KEYS[1]
local fields = cjson.decode(ARGV[3])
local caps = cjson.decode(ARGV[6])

local current = redis.call('HGET', rec_key, 'state')
if current and is_live(current) then return {'exists', current} end

local want_mc = tonumber(fields['millicpus']) or 0
local want_mem = tonumber(fields['memory_bytes']) or 0
local t = redis.call('HMGET', KEYS[4], 'count', 'millicpus', 'memory_bytes')
local o = redis.call('HMGET', KEYS[6], 'millicpus', 'memory_bytes')
local checks = {
  {'max_sandboxes', tonumber(t[1] or '0'), 1},
  {'max_millicpus', tonumber(t[2] or '0'), want_mc},
  {'max_memory_bytes', tonumber(t[3] or '0'), want_mem},
  {'owner_max_sandboxes', redis.call('SCARD', KEYS[5]), 1},
  {'owner_max_millicpus', tonumber(o[1] or '0'), want_mc},
  {'owner_max_memory_bytes', tonumber(o[2] or '0'), want_mem},
  {'owner_creates_per_minute', tonumber(redis.call('GET', KEYS[7]) or '0'), 1},
}
for _, c in ipairs(checks) do
  local max = caps[c[1]]
  if max ~= nil and max ~= cjson.null and c[2] + c[3] > tonumber(max) then
    return {'rejected', c[1], tostring(c[2]), tostring(max)}
  end
end

if current then redis.call('DEL', rec_key) end
local flat = {}
for field, value in pairs(fields) do
  flat[#flat + 1] = field
  flat[#flat + 1] = value
end
redis.call('HSET', rec_key, unpack(flat))
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[2])
account(ARGV[1], rec_key, ARGV[2], 1)
if caps['owner_creates_per_minute'] ~= nil then
  redis.call('INCR', KEYS[7])
  redis.call('EXPIRE', KEYS[7], 120)
end
redis.call('PUBLISH', ARGV[7], ARGV[8])
return {'ok'}
`,
);
