// The Lua scripts the Redis store runs. Each runs atomically in Redis, so a read-modify-write
// needs no WATCH round trips: a commit states the log position its callbacks saw and the records
// they read, and Redis refuses it (answering with what it missed) when another process wrote one
// of those records in between. Commits that touch other records go through side by side.
//
// Layout under the prefix `oauth-mock:<issuer>:` (ARGV[1]):
//   head              hash: gen (changes on every reset), seq (commits since), tag (of the last)
//   log               stream: entry `<seq>-0` = { t: tag, o: the commit's ops as a journal line }
//   head              also `added`: a counter that orders users and clients
//   versions          sorted set: record (`users:alice`, `users*` for any user, `meta`) → seq of its
//                     last write, kept for the last MAX_CATCH_UP commits (older positions reload)
//   meta users clients  hashes: id → JSON; users:order clients:order  sorted sets: id → when added
//   codes grants denylist sessions  sorted sets (id → expiry) indexing one string key each,
//                     `codes:<id>` → JSON, expiring by itself (SET ... EXAT): Redis TTLs, no pruning
// Keys are built inside the scripts, so this is for one Redis (or a primary), not Redis Cluster.

/** Collections kept as hashes, in the order their records were added (as in a store file). */
export const ORDERED = ['users', 'clients'] as const;
/** Collections whose records expire: each record its own key (SET ... EXAT), indexed by expiry. */
export const EXPIRING = ['codes', 'grants', 'denylist', 'sessions'] as const;
const luaList = (names: readonly string[]): string => `{ ${names.map((n) => `'${n}'`).join(', ')} }`;
const LUA_EXPIRING = luaList(EXPIRING);
const LUA_ORDERED = luaList(ORDERED);

// Applies ops from ARGV[first..], five arguments each: kind (p put, d delete), collection
// ('meta' for meta keys), id, JSON value, and for the expiring collections the EXAT second.
const APPLY = `
local p = ARGV[1]
local expiring = {}
for _, c in ipairs(${LUA_EXPIRING}) do expiring[c] = true end
local function apply(first)
  for i = first, #ARGV, 5 do
    local kind, c, id, value, exat = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
    if expiring[c] then
      local key = p .. c .. ':' .. id
      if kind == 'p' then
        if exat == '' then
          redis.call('SET', key, value)
          redis.call('ZADD', p .. c, '+inf', id)
        else
          redis.call('SET', key, value, 'EXAT', exat)
          redis.call('ZADD', p .. c, exat, id)
        end
      else
        redis.call('DEL', key)
        redis.call('ZREM', p .. c, id)
      end
    elseif kind == 'p' then
      redis.call('HSET', p .. c, id, value)
      -- Users and clients keep the order they were added in, as in a store file.
      if c ~= 'meta' and redis.call('ZSCORE', p .. c .. ':order', id) == false then
        redis.call('ZADD', p .. c .. ':order', redis.call('HINCRBY', p .. 'head', 'added', 1), id)
      end
    else
      redis.call('HDEL', p .. c, id)
      if c ~= 'meta' then redis.call('ZREM', p .. c .. ':order', id) end
    end
  end
end
`;

// The log entries after `seq` (ARGV[3]) as {'e', gen, first seq, tag, line, tag, line, ...}, if
// the caller's position is still on the log: same gen, and the entry at `seq` carries the caller's
// tag (ARGV[4]), so a Redis that lost acknowledged writes is noticed. {'k'}: none. Otherwise
// {'r'}: reload (a reset, a position older than ARGV[5] commits or trimmed from the log).
const ENTRIES_SINCE = `
local function since(gen, cur)
  local mine = tonumber(ARGV[3])
  if gen ~= ARGV[2] or cur < mine or cur - mine > tonumber(ARGV[5]) then return { 'r' } end
  if cur == mine then
    if redis.call('HGET', p .. 'head', 'tag') ~= ARGV[4] then return { 'r' } end
    return { 'k' }
  end
  local from = mine
  if from == 0 then from = 1 end
  local entries = redis.call('XRANGE', p .. 'log', from .. '-0', '+', 'COUNT', cur - from + 1)
  local out = { 'e', gen, mine + 1 }
  local expect = from
  for _, entry in ipairs(entries) do
    if entry[1] ~= expect .. '-0' then return { 'r' } end
    local f = entry[2]
    local tag, line = f[2], f[4]
    if expect == mine then
      if tag ~= ARGV[4] then return { 'r' } end
    else
      out[#out + 1] = tag
      out[#out + 1] = line
    end
    expect = expect + 1
  end
  if expect ~= cur + 1 then return { 'r' } end
  return out
end
`;

/**
 * ARGV: prefix, gen, seq, tag, max entries. {'k'}: up to date; {'e', gen, first seq, tag, line,
 * ...}: these entries follow; {'r'}: reload (reset, trimmed log, or a Redis that lost writes);
 * {'n'}: nothing stored under the prefix.
 */
export const SYNC = `
local p = ARGV[1]
${ENTRIES_SINCE}
local head = redis.call('HMGET', p .. 'head', 'gen', 'seq')
if not head[1] then return { 'n' } end
return since(head[1], tonumber(head[2]))
`;

/**
 * ARGV: prefix, gen, seq, tag, max entries, new tag, journal line, log length, n, then n records
 * the callbacks read or wrote (see `versions`), then ops (see APPLY). Commits unless one of those
 * records was written since `seq`: {'ok', new seq, first seq, tag, line, ...} with the entries
 * that came between (the caller applies them, then its own). Otherwise answers like SYNC, and
 * the caller reruns its callbacks on the newer state. No ops: checks the reads only.
 */
export const COMMIT = `
${APPLY}
${ENTRIES_SINCE}
local head = redis.call('HMGET', p .. 'head', 'gen', 'seq')
if not head[1] then return { 'n' } end
local cur = tonumber(head[2])
local expected = tonumber(ARGV[3])
local between = since(head[1], cur)
if between[1] == 'r' then return between end
local n = tonumber(ARGV[9])
for i = 10, 9 + n do
  local version = redis.call('ZSCORE', p .. 'versions', ARGV[i])
  if version and tonumber(version) > expected then return between end
end
local first = 10 + n
if first <= #ARGV then
  apply(first)
  cur = cur + 1
  redis.call('HSET', p .. 'head', 'seq', cur, 'tag', ARGV[6])
  redis.call('XADD', p .. 'log', 'MAXLEN', '~', ARGV[8], cur .. '-0', 't', ARGV[6], 'o', ARGV[7])
  for i = first, #ARGV, 5 do
    local c = ARGV[i + 1]
    if c == 'meta' then
      redis.call('ZADD', p .. 'versions', cur, 'meta')
    else
      redis.call('ZADD', p .. 'versions', cur, c .. ':' .. ARGV[i + 2], cur, c .. '*')
    end
  end
  redis.call('ZREMRANGEBYSCORE', p .. 'versions', '-inf', '(' .. (cur - tonumber(ARGV[5])))
  -- Drop index entries whose record Redis has already expired (the records expire by themselves).
  local now = redis.call('TIME')[1]
  for _, c in ipairs(${LUA_EXPIRING}) do
    redis.call('ZREMRANGEBYSCORE', p .. c, '-inf', '(' .. now)
  end
end
local out = { 'ok', cur, expected + 1 }
for i = 4, #between do out[#out + 1] = between[i] end
return out
`;

/**
 * ARGV: prefix, new gen, new tag, only-if-new ('1' or '0'), then ops. Replaces everything under
 * the prefix (reset). Only-if-new: does nothing when the prefix holds a store already, so
 * replicas starting together seed it once. Returns 1 if it wrote.
 */
export const REPLACE = `
${APPLY}
if ARGV[4] == '1' and redis.call('EXISTS', p .. 'head') == 1 then return 0 end
for _, c in ipairs(${LUA_EXPIRING}) do
  for _, id in ipairs(redis.call('ZRANGE', p .. c, 0, -1)) do redis.call('DEL', p .. c .. ':' .. id) end
  redis.call('DEL', p .. c)
end
for _, c in ipairs(${LUA_ORDERED}) do redis.call('DEL', p .. c, p .. c .. ':order') end
redis.call('DEL', p .. 'meta', p .. 'log', p .. 'head', p .. 'versions')
redis.call('HSET', p .. 'head', 'gen', ARGV[2], 'seq', 0, 'tag', ARGV[3])
apply(5)
return 1
`;

/**
 * ARGV: prefix. Everything at one instant: {gen, seq, tag, 'meta', [key, json, ...], name, [id,
 * json, ...], ...} for every collection; false if nothing is stored.
 */
export const SNAPSHOT = `
local p = ARGV[1]
local head = redis.call('HMGET', p .. 'head', 'gen', 'seq', 'tag')
if not head[1] then return false end
local out = { head[1], head[2], head[3], 'meta', redis.call('HGETALL', p .. 'meta') }
local function add(c, ids, get)
  local flat = {}
  for _, id in ipairs(ids) do
    local value
    if get == 'HGET' then value = redis.call('HGET', p .. c, id) else value = redis.call('GET', p .. c .. ':' .. id) end
    if value then
      flat[#flat + 1] = id
      flat[#flat + 1] = value
    end
  end
  out[#out + 1] = c
  out[#out + 1] = flat
end
for _, c in ipairs(${LUA_ORDERED}) do add(c, redis.call('ZRANGE', p .. c .. ':order', 0, -1), 'HGET') end
for _, c in ipairs(${LUA_EXPIRING}) do add(c, redis.call('ZRANGE', p .. c, 0, -1), 'GET') end
return out
`;
