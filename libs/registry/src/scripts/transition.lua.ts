import { LUA_COMMON, LuaScript } from './lua-script';

/**
 * transition: compare-and-set of a record's state, with every side effect in one step: patch
 * the record, append to `state_history`, keep alive/expiry/owner membership and the running
 * totals in line with the new state, set retention on records leaving the live states, publish.
 *
 * KEYS[1] record hash, KEYS[2] alive zset, KEYS[3] expiry zset
 * ARGV[1] key prefix      ARGV[2] sandbox id
 * ARGV[3] allowed from-states, comma-separated ("pending,running")
 * ARGV[4] to-state        ARGV[5] event name       ARGV[6] timestamp (ISO-8601)
 * ARGV[7] patch, JSON object field → string | null (null deletes the field)
 * ARGV[8] events channel  ARGV[9] retention seconds for records that leave the live states
 * ARGV[10] now ms: a record re-entering the live states gets deadline now + its auto_clear_minutes
 * Returns {'ok', from_state, HGETALL…} | {'missing'} | {'illegal', current_state}
 */
export const transitionScript = new LuaScript(
  'transition',
  `${LUA_COMMON}
local rec_key, id, to = KEYS[1], ARGV[2], ARGV[4]
local from = redis.call('HGET', rec_key, 'state')
if not from then return {'missing'} end
local allowed = false
for s in string.gmatch(ARGV[3], '[^,]+') do
  if s == from then allowed = true end
end
if not allowed then return {'illegal', from} end

apply_patch(rec_key, ARGV[7])
local item = cjson.encode({from_state = from, to_state = to, event = ARGV[5], timestamp = ARGV[6]})
local history = redis.call('HGET', rec_key, 'state_history')
if not history or history == '' or history == '[]' or history == '{}' then
  history = '[' .. item .. ']'
else
  history = string.sub(history, 1, -2) .. ',' .. item .. ']'
end
redis.call('HSET', rec_key, 'state', to, 'state_history', history)

local owner = redis.call('HGET', rec_key, 'owner') or ''
if is_live(from) and not is_live(to) then
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  account(ARGV[1], rec_key, id, -1)
  redis.call('EXPIRE', rec_key, ARGV[9])
elseif is_live(to) and not is_live(from) then
  redis.call('PERSIST', rec_key)
  redis.call('ZADD', KEYS[2], redis.call('HGET', rec_key, 'create_ms') or '0', id)
  local minutes = tonumber(redis.call('HGET', rec_key, 'auto_clear_minutes') or '30') or 30
  redis.call('ZADD', KEYS[3], tonumber(ARGV[10]) + minutes * 60000, id)
  account(ARGV[1], rec_key, id, 1)
end
redis.call('PUBLISH', ARGV[8], cjson.encode({type = 'transition', sandbox_id = id, from_state = from,
  state = to, event = ARGV[5], timestamp = ARGV[6], owner = owner}))
local out = {'ok', from}
for _, v in ipairs(redis.call('HGETALL', rec_key)) do table.insert(out, v) end
return out
`,
);
