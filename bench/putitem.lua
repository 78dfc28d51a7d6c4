-- wrk script: PutItem of 1 KB items with distinct keys per thread.
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local table_name = bench.table_name("bench")
local payload = string.rep("x", 1000)
local counter = 0
-- Distinct per wrk process when several run at once (bench/pg_cluster.py).
local prefix = os.getenv("FDYNO_BENCH_PREFIX") or ""
bench.number_threads()
bench.dynamodb_requests("PutItem")

request = function()
  counter = counter + 1
  local body = '{"TableName":"' .. table_name .. '","Item":{"pk":{"S":"w' .. prefix .. tostring(tid) .. '-' .. counter ..
    '"},"data":{"S":"' .. payload .. '"}}}'
  return wrk.format(nil, "/", nil, body)
end
