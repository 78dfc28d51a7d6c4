-- wrk script: PutItem of 1 KB items with distinct keys per thread.
local table_name = os.getenv("FDYNO_BENCH_TABLE") or "bench"
local payload = string.rep("x", 1000)
local counter = 0
local tid = 0
setup = function(thread)
  tid = tid + 1
  thread:set("tid", tid)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.PutItem"
wrk.headers["X-Amz-Date"] = os.date("!%Y%m%dT%H%M%SZ")
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=bench/" .. os.date("!%Y%m%d") ..
  "/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)

request = function()
  counter = counter + 1
  local body = '{"TableName":"' .. table_name .. '","Item":{"pk":{"S":"w' .. tostring(tid) .. '-' .. counter ..
    '"},"data":{"S":"' .. payload .. '"}}}'
  return wrk.format(nil, "/", nil, body)
end
