-- wrk script that LOADS the Query benchmark table: PutItem of items
-- i = 0..N-1 as {pk: "p<i/100>", sk: i%100, payload: 40 bytes}, each exactly
-- once (one wrk thread: request() runs sequentially); after N it sends
-- cheap DescribeTable calls until wrk's duration ends. BatchWriteItem does
-- not exist yet; concurrent PutItem over 32 connections is the fastest
-- loader available. FDYNO_BENCH_ITEMS = N.
local n = tonumber(os.getenv("FDYNO_BENCH_ITEMS") or "10000")
local table_name = os.getenv("FDYNO_BENCH_TABLE") or "qbench"
local counter = -2  -- wrk calls request() once at start-up to probe it: that call is not sent
local auth = "AWS4-HMAC-SHA256 Credential=bench/" .. os.date("!%Y%m%d") ..
  "/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)
local payload = string.rep("x", 40)
wrk.method = "POST"

request = function()
  counter = counter + 1
  local headers = {["Content-Type"] = "application/x-amz-json-1.0", ["Authorization"] = auth,
                   ["X-Amz-Date"] = os.date("!%Y%m%dT%H%M%SZ")}
  if counter < 0 or counter >= n then
    headers["X-Amz-Target"] = "DynamoDB_20120810.DescribeTable"
    return wrk.format(nil, "/", headers, '{"TableName":"' .. table_name .. '"}')
  end
  headers["X-Amz-Target"] = "DynamoDB_20120810.PutItem"
  local body = '{"TableName":"' .. table_name .. '","Item":{"pk":{"S":"p' .. math.floor(counter / 100) ..
    '"},"sk":{"N":"' .. (counter % 100) .. '"},"payload":{"S":"' .. payload .. '"}}}'
  return wrk.format(nil, "/", headers, body)
end
