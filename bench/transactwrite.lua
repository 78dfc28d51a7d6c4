-- wrk script: TransactWriteItems of 4 Puts of ~100-byte items, every key
-- distinct (thread id + request counter + position), no conditions.
-- Items/s = wrk's Requests/sec x 4.
-- Usage (table "bench" with hash key pk:S must exist):
--   wrk -t1 -c32 -d10s --latency -s bench/transactwrite.lua http://127.0.0.1:PORT/
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local table_name = bench.table_name("bench")
local actions = 4
local payload = string.rep("x", 80)
local counter = 0
-- Distinct per wrk process when several run at once (bench/pg_cluster.py).
local prefix = os.getenv("FDYNO_BENCH_PREFIX") or ""
bench.number_threads()
bench.dynamodb_requests("TransactWriteItems")

request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, actions do
    parts[i] = '{"Put":{"TableName":"' .. table_name .. '","Item":{"pk":{"S":"t' .. prefix .. tostring(tid) .. '-' ..
      counter .. '-' .. i .. '"},"data":{"S":"' .. payload .. '"}}}}'
  end
  return wrk.format(nil, "/", nil, '{"TransactItems":[' .. table.concat(parts, ",") .. ']}')
end

-- Fails loudly on anything but 200 (an error would look like a fast benchmark).
response = function(status, headers, body)
  if status ~= 200 then
    error("TransactWriteItems answered " .. status .. ": " .. body)
  end
end
