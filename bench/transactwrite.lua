-- wrk script: TransactWriteItems of 4 Puts of ~100-byte items, every key
-- distinct (thread id + request counter + position), no conditions.
-- Items/s = wrk's Requests/sec x 4.
-- Usage (table "bench" with hash key pk:S must exist):
--   wrk -t1 -c32 -d10s --latency -s bench/transactwrite.lua http://127.0.0.1:PORT/
local table_name = os.getenv("FDYNO_BENCH_TABLE") or "bench"
local actions = 4
local payload = string.rep("x", 80)
local counter = 0
local tid = 0
setup = function(thread)
  tid = tid + 1
  thread:set("tid", tid)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.TransactWriteItems"
wrk.headers["X-Amz-Date"] = os.date("!%Y%m%dT%H%M%SZ")
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=bench/" .. os.date("!%Y%m%d") ..
  "/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)

request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, actions do
    parts[i] = '{"Put":{"TableName":"' .. table_name .. '","Item":{"pk":{"S":"t' .. tostring(tid) .. '-' ..
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
