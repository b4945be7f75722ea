package redisstore

import "github.com/redis/go-redis/v9"

// The scripts run atomically in Redis, on its clock (TIME, in
// microseconds), so that processes on machines whose clocks disagree still
// agree on the gate and the bucket. Times cross the wire as offsets from
// "now" (the caller's now on the way in, Redis's on the way out) and are
// mapped onto each process's clock there.
//
// Every script takes the same keys:
//
//	KEYS[1] gate     hash: until, fstart, funtil, flen (µs), probing (0/1)
//	KEYS[2] probe    string: the replica holding the probe, with a lease (PX)
//	KEYS[3] bucket   hash: tat (µs), epoch, iv (µs): the interval of the epoch's latest lease
//	KEYS[4] rate     hash: limit (milli-requests/s), lastcut (µs), lastmax, epoch, estart (µs), version,
//	                 wn, wspan (µs): the window inferred from a 429, if any
//	KEYS[5] replicas sorted set: replica id by its last heartbeat (µs)
//	KEYS[6] sent     hash: slots of the bucket falling due per 100 ms (c0..c19) and the period each counts (p0..p19)
//	KEYS[7] log      list: the requests the replicas sent, as batches "t1,t2,..." (µs, Redis's clock),
//	                 the last logSize batches
//
// and ARGV[1], the channel on which changes to the gate and cuts of the
// rate are published. Each returns a flag then the view (see viewFields),
// which the caller adopts as its local copy.

// prelude is shared by every script: the clock and the view.
const prelude = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function num(v) return tonumber(v) or 0 end
local period = math.floor(now / 100000)
local function sent()
  local m = redis.call('HGETALL', KEYS[6])
  local c, p, n = {}, {}, 0
  for i = 1, #m, 2 do
    local k, v = m[i], tonumber(m[i + 1])
    if string.sub(k, 1, 1) == 'c' then c[string.sub(k, 2)] = v else p[string.sub(k, 2)] = v end
  end
  for i, v in pairs(c) do
    if p[i] and p[i] <= period and period - p[i] < 10 then n = n + v end
  end
  return n
end
-- count adds k slots falling due in the 100 ms period q. The ring holds 20
-- periods: the last 10, and up to 9 ahead for slots granted in advance.
local function count(q, k)
  if q - period > 9 then return end
  local slot = tostring(q % 20)
  if num(redis.call('HGET', KEYS[6], 'p' .. slot)) ~= q then
    redis.call('HSET', KEYS[6], 'p' .. slot, q, 'c' .. slot, 0)
  end
  redis.call('HINCRBY', KEYS[6], 'c' .. slot, k)
  redis.call('PEXPIRE', KEYS[6], 5000)
end
local function view(flag, base)
  local g = redis.call('HMGET', KEYS[1], 'until', 'probing')
  local r = redis.call('HMGET', KEYS[4], 'limit', 'lastcut', 'lastmax', 'epoch', 'estart', 'version', 'wn', 'wspan')
  local version = -1
  if r[6] then version = num(r[6]) end
  return {flag, now, base, num(g[1]), num(g[2]), redis.call('ZCARD', KEYS[5]),
    num(r[1]), num(r[2]), num(r[3]), num(r[4]), num(r[5]), version, sent(), num(r[7]), num(r[8])}
end
local function publish(flag)
  local v = view(flag, now)
  for i = 1, #v do v[i] = string.format('%d', v[i]) end
  redis.call('PUBLISH', ARGV[1], table.concat(v, ','))
end
-- logSends appends a replica's batch of requests sent (ARGV: the batch,
-- "" for none, as offsets before now in µs; the log's size; its ttl in ms).
local function logSends(batch, size, ttl)
  if batch == '' then return end
  local out = {}
  for d in string.gmatch(batch, '[^,]+') do out[#out + 1] = string.format('%d', now - tonumber(d)) end
  redis.call('RPUSH', KEYS[7], table.concat(out, ','))
  redis.call('LTRIM', KEYS[7], -tonumber(size), -1)
  redis.call('PEXPIRE', KEYS[7], tonumber(ttl))
end
local function keepGate(untilUs)
  local ttl = math.floor(math.max(untilUs - now, 0) / 1000) + 3600000
  redis.call('PEXPIRE', KEYS[1], ttl)
end
`

// takeScript beats the replica's heartbeat and, when n > 0, grants n slots
// of the bucket (the generic cell rate algorithm, as ratelimit's own).
//
//	ARGV: channel, replica id, heartbeat ttl (ms), n, interval (µs), burst, epoch, epoch start (µs ago),
//	      late (µs; see ratelimit.Pace.Late), then logSends's three arguments
var takeScript = redis.NewScript(prelude + `
local ttl = tonumber(ARGV[3])
redis.call('ZADD', KEYS[5], now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - ttl * 1000)
redis.call('PEXPIRE', KEYS[5], ttl * 2)
local n, iv, burst, ep = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local base = now
if n > 0 and iv > 0 then
  local b = redis.call('HMGET', KEYS[3], 'tat', 'epoch', 'iv')
  local tat, bep = num(b[1]), num(b[2])
  if ep > bep then
    local from = now - math.max(tonumber(ARGV[8]), 0)
    tat, bep = from + burst * iv, ep
  elseif ep < bep and num(b[3]) > 0 then
    -- A replica that has not seen the new epoch yet paces at the old
    -- rate: its slots are spaced at the new one's interval.
    iv = math.min(iv, num(b[3]))
  end
  local late = tonumber(ARGV[9])
  if late > 0 then
    if tat < now then tat = now end
    tat = tat + late
  end
  if tat > now then base = tat end
  tat = base + n * iv
  if ep >= bep then redis.call('HSET', KEYS[3], 'tat', tat, 'epoch', bep, 'iv', iv)
  else redis.call('HSET', KEYS[3], 'tat', tat) end
  local q, k = -1, 0
  for i = 0, n - 1 do
    local at = math.max(now, base + i * iv - (burst - 1) * iv)
    local qi = math.floor(at / 100000)
    if qi ~= q and k > 0 then count(q, k); k = 0 end
    q, k = qi, k + 1
  end
  if k > 0 then count(q, k) end
  redis.call('PEXPIRE', KEYS[3], math.floor((tat - now) / 1000) + 600000)
end
logSends(ARGV[10], ARGV[11], ARGV[12])
return view(1, base)
`)

// closeScript keeps the gate closed until at least now + ARGV[2] µs.
var closeScript = redis.NewScript(prelude + `
local u = now + tonumber(ARGV[2])
if u > num(redis.call('HGET', KEYS[1], 'until')) then
  redis.call('HSET', KEYS[1], 'until', u)
  keepGate(u)
  publish(2)
end
return view(1, now)
`)

// floorScript closes the gate for the floor after a 429 naming no wait,
// answered now to a request sent ARGV[2] µs ago (see
// ratelimit.GateStore.CloseGateFloor).
//
//	ARGV: channel, sent (µs ago), first floor (µs), largest floor (µs)
var floorScript = redis.NewScript(prelude + `
local sent = now - tonumber(ARGV[2])
local g = redis.call('HMGET', KEYS[1], 'fstart', 'funtil', 'flen', 'until')
local fstart, funtil, flen, u = num(g[1]), num(g[2]), num(g[3]), num(g[4])
if flen > 0 and sent <= fstart then return view(0, now) end
local d = tonumber(ARGV[3])
if flen > 0 and now < funtil + flen then d = math.min(2 * flen, tonumber(ARGV[4])) end
funtil = now + d
redis.call('HSET', KEYS[1], 'fstart', now, 'funtil', funtil, 'flen', d, 'probing', 1)
if funtil > u then redis.call('HSET', KEYS[1], 'until', funtil) end
keepGate(funtil + d)
publish(2)
return view(1, now)
`)

// probeScript takes the probe for ARGV[2] with a lease of ARGV[3] ms; flag
// 1 when taken (or when the gate is not probing any more).
var probeScript = redis.NewScript(prelude + `
if num(redis.call('HGET', KEYS[1], 'probing')) == 0 then return view(1, now) end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', tonumber(ARGV[3])) then return view(1, now) end
return view(0, now)
`)

// endProbeScript gives the probe of ARGV[2] back; ARGV[3] 1 ends probing.
var endProbeScript = redis.NewScript(prelude + `
if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
if ARGV[3] == '1' and num(redis.call('HGET', KEYS[1], 'probing')) == 1 then
  redis.call('HSET', KEYS[1], 'probing', 0)
  publish(2)
end
return view(1, now)
`)

// swapScript stores a rate if the stored one is still at version ARGV[2],
// or if none is stored (Redis lost it): flag 1 then.
//
//	ARGV: channel, old version, limit (milli), last cut (µs ago, -1: none),
//	      last max (milli), epoch, epoch start (µs ago, -1: none), ttl (ms), cut (0/1),
//	      window n, window span (µs)
var swapScript = redis.NewScript(prelude + `
local v = redis.call('HGET', KEYS[4], 'version')
if v and tonumber(v) ~= tonumber(ARGV[2]) then return view(0, now) end
local function at(ago) if tonumber(ago) < 0 then return 0 end return now - tonumber(ago) end
redis.call('HSET', KEYS[4], 'limit', ARGV[3], 'lastcut', at(ARGV[4]), 'lastmax', ARGV[5],
  'epoch', ARGV[6], 'estart', at(ARGV[7]), 'version', tonumber(ARGV[2]) + 1, 'wn', ARGV[10], 'wspan', ARGV[11])
redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[8]))
if ARGV[9] == '1' then publish(3) end
return view(1, now)
`)

// logScript appends a batch of requests sent to the log (see logSends).
var logScript = redis.NewScript(prelude + `
logSends(ARGV[2], ARGV[3], ARGV[4])
return view(1, now)
`)

// viewFields is the length of a script's answer: flag, now, base, gate
// until, probing, replicas, rate limit, last cut, last max, epoch, epoch
// start, version, requests sent in the last second, window n, window span.
const viewFields = 15
