-- wrk script: GetItem of one of N pre-loaded 1 KB items (key k0..k{N-1}).
-- Open-auth servers only need a well-formed Authorization header.
local n = tonumber(os.getenv("FDYNO_BENCH_ITEMS") or "1000")
local table_name = os.getenv("FDYNO_BENCH_TABLE") or "bench"
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.GetItem"
wrk.headers["X-Amz-Date"] = os.date("!%Y%m%dT%H%M%SZ")
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=bench/" .. os.date("!%Y%m%d") ..
  "/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)

request = function()
  counter = counter + 1
  local body = '{"TableName":"' .. table_name .. '","Key":{"pk":{"S":"k' .. (counter % n) .. '"}}}'
  return wrk.format(nil, "/", nil, body)
end
