-- Authorization-code round trips (and refresh rotation) for wrk. wrk keeps Lua state per
-- thread, not per connection, so codes and refresh tokens go through queues: whichever
-- connection asks next redeems the oldest one. `cfg` is prepended by bench/lib/wrk.mjs.
local codes, refreshes = {}, {}
-- Global, so done() can read each thread's copy with thread:get.
counts = { authorize = 0, ok = 0, errors = 0 }

local function push(q, v) q[#q + 1] = v end
local function pop(q)
  local n = #q
  if n == 0 then return nil end
  local v = q[n]
  q[n] = nil
  return v
end

local function body_for(kind, value)
  if cfg.form then
    if kind == "code" then
      return "grant_type=authorization_code&code=" .. value .. "&redirect_uri=" .. cfg.redirect_enc ..
        "&code_verifier=" .. cfg.verifier .. "&client_id=" .. cfg.client_id
    end
    return "grant_type=refresh_token&refresh_token=" .. value .. "&client_id=" .. cfg.client_id
  end
  if kind == "code" then
    return '{"grant_type":"authorization_code","code":"' .. value .. '","redirect_uri":"' .. cfg.redirect ..
      '","code_verifier":"' .. cfg.verifier .. '","client_id":"' .. cfg.client_id .. '","client_secret":"' .. cfg.client_secret .. '"}'
  end
  return '{"grant_type":"refresh_token","refresh_token":"' .. value .. '","client_id":"' .. cfg.client_id ..
    '","client_secret":"' .. cfg.client_secret .. '"}'
end

local ctype = cfg.form and "application/x-www-form-urlencoded" or "application/json"
local authz_headers = {}
if cfg.user_token then authz_headers["Authorization"] = "Bearer " .. cfg.user_token end

request = function()
  local rt = cfg.mode == "refresh" and pop(refreshes) or nil
  if rt then
    return wrk.format("POST", cfg.token_path, { ["Content-Type"] = ctype }, body_for("refresh", rt))
  end
  local code = pop(codes)
  if code then
    return wrk.format("POST", cfg.token_path, { ["Content-Type"] = ctype }, body_for("code", code))
  end
  return wrk.format("GET", cfg.authorize_path, authz_headers)
end

-- Responses come back in request order per connection, but not across connections; the kind
-- is read from the response itself, so the bookkeeping never depends on that order.
response = function(status, headers, body)
  local location = headers["Location"] or headers["location"]
  if status == 302 and location then
    local code = location:match("[?&]code=([^&]+)")
    if code then
      counts.authorize = counts.authorize + 1
      push(codes, code)
      return
    end
  end
  if status == 200 and body then
    local rt = body:match('"refresh_token"%s*:%s*"([^"]+)"')
    counts.ok = counts.ok + 1
    if rt and cfg.mode == "refresh" then push(refreshes, rt) end
    return
  end
  counts.errors = counts.errors + 1
  if counts.errors <= 3 then io.stderr:write("unexpected response " .. status .. ": " .. tostring(body):sub(1, 300) .. "\n") end
end

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end

done = function(summary, latency, requests)
  local total = { authorize = 0, ok = 0, errors = 0 }
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do total[k] = total[k] + v end
  end
  -- Every code is redeemed once (bar the last few in flight), so in refresh mode the 200s
  -- beyond the authorizations are refreshes.
  io.write(string.format('BENCH_COUNTS {"authorize":%d,"ok":%d,"errors":%d,"seconds":%.3f}\n',
    total.authorize, total.ok, total.errors, summary.duration / 1e6))
end
