package subagent

import "github.com/redis/go-redis/v9"

// The RedisStore's changes are Lua scripts, each one atomic in Redis: a
// job's status, its queue entry, its place in the index and the message
// that it ended change together or not at all, whichever process runs
// them. Times come from Redis's clock (TIME), in microseconds, so that
// every process agrees on them. The scripts are read-only package values.

// luaPrelude is the helpers every script may use.
const luaPrelude = `
-- now is Redis's clock in microseconds since 1970, as a string.
local function now()
  local t = redis.call('TIME')
  return t[1] .. string.format('%06d', tonumber(t[2]))
end

-- drop acknowledges and deletes a queue entry, if there is one.
local function drop(queue, group, entry)
  if entry then
    redis.call('XACK', queue, group, entry)
    redis.call('XDEL', queue, entry)
  end
end

-- finish ends a job: its status, times, result and error; Redis expires it
-- ttl microseconds from now; its index score becomes its expiry (ms); and
-- its id goes out on channel, to its waiters and to the worker running it.
local function finish(job, index, channel, id, status, result, err, ttl)
  local t = now()
  local expires = tonumber(t) + tonumber(ttl)
  redis.call('HSET', job, 'status', status, 'finished', t, 'expires', string.format('%.0f', expires), 'result', result, 'error', err)
  redis.call('PEXPIRE', job, string.format('%.0f', math.max(1, math.ceil(tonumber(ttl) / 1000))))
  redis.call('ZADD', index, string.format('%.0f', math.floor(expires / 1000)), id)
  redis.call('PUBLISH', channel, id)
end
`

func luaScript(body string) *redis.Script { return redis.NewScript(luaPrelude + body) }

// submitScript records a queued job and queues it.
// KEYS: job, queue, index. ARGV: id, message, system, model.
// Returns the creation time.
var submitScript = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('the task id is taken')
end
local t = now()
local entry = redis.call('XADD', KEYS[2], '*', 'id', ARGV[1])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'message', ARGV[2], 'system', ARGV[3], 'model', ARGV[4],
  'status', 'queued', 'created', t, 'entry', entry)
redis.call('ZADD', KEYS[3], '+inf', ARGV[1])
return t
`)

// claimScript marks running, owned by token, the job of a queue entry just
// delivered to this consumer; an entry whose job is no longer queued
// (cancelled meanwhile) is dropped.
// KEYS: job, queue. ARGV: group, entry, token.
// Returns message, system and model, or nil.
var claimScript = luaScript(`
if redis.call('HGET', KEYS[1], 'status') ~= 'queued' or redis.call('HGET', KEYS[1], 'entry') ~= ARGV[2] then
  drop(KEYS[2], ARGV[1], ARGV[2])
  return false
end
redis.call('HSET', KEYS[1], 'status', 'running', 'started', now(), 'owner', ARGV[3])
return redis.call('HMGET', KEYS[1], 'message', 'system', 'model')
`)

// reclaimScript takes over the first pending entry idle for longer than
// the lease (its worker stopped renewing it) and marks its job running,
// owned by token. Entries of jobs that ended meanwhile are dropped on the
// way; a job taken over more than max times is failed instead.
// KEYS: queue, index. ARGV: group, consumer, lease (ms), token, prefix,
// max, ttl (µs), channel, the failure's text.
// Returns id, message, system and model, or nil.
var reclaimScript = luaScript(`
local cursor = '0-0'
repeat
  local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], cursor, 'COUNT', 1)
  cursor = r[1]
  for _, e in ipairs(r[2]) do
    local entry, fields = e[1], e[2]
    if not fields then
      redis.call('XACK', KEYS[1], ARGV[1], entry)
    else
      local id = fields[2]
      local job = ARGV[5] .. 'job:' .. id
      local st = redis.call('HGET', job, 'status')
      if (st ~= 'queued' and st ~= 'running') or redis.call('HGET', job, 'entry') ~= entry then
        drop(KEYS[1], ARGV[1], entry)
      elseif redis.call('HINCRBY', job, 'reclaims', 1) > tonumber(ARGV[6]) then
        drop(KEYS[1], ARGV[1], entry)
        finish(job, KEYS[2], ARGV[8], id, 'failed', '', ARGV[9], ARGV[7])
      else
        redis.call('HSET', job, 'status', 'running', 'started', now(), 'owner', ARGV[4])
        local f = redis.call('HMGET', job, 'message', 'system', 'model')
        return {id, f[1], f[2], f[3]}
      end
    end
  end
until cursor == '0-0'
return false
`)

// renewScript renews the lease of a job still running under token: its
// entry's idle time goes back to 0.
// KEYS: job, queue. ARGV: group, consumer, token.
// Returns 1, or 0 when the job is no longer the token's to run.
var renewScript = luaScript(`
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[3] or redis.call('HGET', KEYS[1], 'status') ~= 'running' then
  return 0
end
redis.call('XCLAIM', KEYS[2], ARGV[1], ARGV[2], 0, redis.call('HGET', KEYS[1], 'entry'), 'JUSTID')
return 1
`)

// endScript records how a job run under token ended, unless it already
// ended (cancelled) or another worker took it over.
// KEYS: job, queue, index. ARGV: group, token, status, result, error,
// ttl (µs), channel, id.
// Returns 1 when it recorded it, else 0.
var endScript = luaScript(`
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[2] then
  return 0
end
drop(KEYS[2], ARGV[1], redis.call('HGET', KEYS[1], 'entry'))
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then
  return 0
end
finish(KEYS[1], KEYS[3], ARGV[7], ARGV[8], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
return 1
`)

// cancelScript ends a queued or running job, cancelled; its worker hears
// of it on the channel (or at its next renewal).
// KEYS: job, queue, index. ARGV: group, ttl (µs), channel, id, error.
// Returns 1 when cancelled, 0 when it had already ended, -1 when missing.
var cancelScript = luaScript(`
local st = redis.call('HGET', KEYS[1], 'status')
if not st then
  return -1
end
if st ~= 'queued' and st ~= 'running' then
  return 0
end
drop(KEYS[2], ARGV[1], redis.call('HGET', KEYS[1], 'entry'))
finish(KEYS[1], KEYS[3], ARGV[3], ARGV[4], 'cancelled', '', ARGV[5], ARGV[2])
return 1
`)

// releaseScript queues again, under a new entry, a job running under token.
// KEYS: job, queue. ARGV: group, token, id.
var releaseScript = luaScript(`
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[2] or redis.call('HGET', KEYS[1], 'status') ~= 'running' then
  return 0
end
drop(KEYS[2], ARGV[1], redis.call('HGET', KEYS[1], 'entry'))
local entry = redis.call('XADD', KEYS[2], '*', 'id', ARGV[3])
redis.call('HSET', KEYS[1], 'status', 'queued', 'entry', entry)
redis.call('HDEL', KEYS[1], 'owner', 'started')
return 1
`)

// evictScript removes from the index the jobs expired for a second
// (Redis removed the jobs themselves).
// KEYS: index. Returns how many it removed.
var evictScript = luaScript(`
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%.0f', ms - 1000))
`)

// leaveScript deletes the consumer from the group if it holds no entry.
// KEYS: queue. ARGV: group, consumer.
var leaveScript = luaScript(`
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then
  return 0
end
return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
`)
