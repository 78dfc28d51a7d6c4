-- wrk script: BatchWriteItem of 25 PutRequests of ~100-byte items, every
-- key distinct (thread id + request counter + position in the batch).
-- Throughput in items/s = wrk's Requests/sec x 25.
-- Usage (table "bench" with hash key pk:S must exist):
--   wrk -t1 -c32 -d10s --latency -s bench/batchwrite.lua http://127.0.0.1:PORT/
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local table_name = bench.table_name("bench")
local batch = 25
-- pk ("b<tid>-<n>-<i>", ~10 bytes) + "data" + 80 bytes: ~100 bytes per item.
local payload = string.rep("x", 80)
local counter = 0
bench.number_threads()
bench.dynamodb_requests("BatchWriteItem")

request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, batch do
    parts[i] = '{"PutRequest":{"Item":{"pk":{"S":"b' .. tostring(tid) .. '-' .. counter .. '-' .. i ..
      '"},"data":{"S":"' .. payload .. '"}}}}'
  end
  local body = '{"RequestItems":{"' .. table_name .. '":[' .. table.concat(parts, ",") .. ']}}'
  return wrk.format(nil, "/", nil, body)
end

-- Fails loudly if the server answered anything but 200 (e.g. a validation
-- error would otherwise look like a very fast benchmark).
response = function(status, headers, body)
  if status ~= 200 then
    error("BatchWriteItem answered " .. status .. ": " .. body)
  end
end
