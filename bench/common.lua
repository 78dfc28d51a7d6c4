-- bench/common.lua: what the wrk scripts of bench/ share: the table name and
-- the request headers of a DynamoDB call. A script loads it relative to its
-- own path, so wrk may be started from any directory:
--   local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
-- wrk runs every script once per thread (and once more for setup()), each in
-- its own Lua state: this file is loaded in each of them.
local bench = {}

-- FDYNO_BENCH_TABLE, else `default`.
function bench.table_name(default)
  return os.getenv("FDYNO_BENCH_TABLE") or default
end

-- A server with open auth (the default) accepts any well-formed SigV4
-- Authorization header; the signature is never checked.
bench.authorization = "AWS4-HMAC-SHA256 Credential=bench/" .. os.date("!%Y%m%d") ..
  "/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)

-- Makes every request of this script a POST of DynamoDB JSON calling
-- `operation` ("PutItem", ...): wrk.format() then only needs the body.
function bench.dynamodb_requests(operation)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
  wrk.headers["X-Amz-Target"] = "DynamoDB_20120810." .. operation
  wrk.headers["X-Amz-Date"] = os.date("!%Y%m%dT%H%M%SZ")
  wrk.headers["Authorization"] = bench.authorization
end

-- Numbers wrk's threads 1, 2, ... in the global `tid` of each thread's Lua
-- state, so scripts can build distinct keys per thread. thread:set() writes a
-- thread's globals after the script has run there: a `local tid` in a script
-- would shadow it (every thread would then use the same keys).
function bench.number_threads()
  tid = 0
  local started = 0
  setup = function(thread)
    started = started + 1
    thread:set("tid", started)
  end
end

return bench
