-- wrk script that LOADS the Query/Scan benchmark table: items
-- i = 0..N-1 as {pk: "p<i/100>", sk: i%100, payload: 40 bytes}, each exactly
-- once, written by BatchWriteItem of 25 items (one kv transaction per batch,
-- so the load is ~10x faster than one PutItem per item). One wrk thread:
-- request() runs sequentially, so batch b holds items 25b..25b+24. Once
-- every batch has been answered the script ends wrk (os.exit(0): wrk's
-- thread:stop() would still wait out the -d duration), so the run ends as
-- soon as the load is done; requests sent after the last
-- batch (other connections still busy) are cheap DescribeTable calls. Any
-- non-200 answer aborts the load loudly.
-- FDYNO_BENCH_ITEMS = N (a multiple of 25), FDYNO_BENCH_TABLE (qbench).
-- Usage: wrk -t1 -c16 -d600s -s bench/query_load.lua http://127.0.0.1:PORT/
local n = tonumber(os.getenv("FDYNO_BENCH_ITEMS") or "10000")
local table_name = os.getenv("FDYNO_BENCH_TABLE") or "qbench"
local batch = 25
local batches = math.ceil(n / batch)
local sent = -1     -- wrk calls request() once at start-up to probe it: that call is not sent
local answered = 0  -- BatchWriteItem answers received
local auth = "AWS4-HMAC-SHA256 Credential=bench/" .. os.date("!%Y%m%d") ..
  "/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)
local payload = string.rep("x", 40)
wrk.method = "POST"

request = function()
  local b = sent
  sent = sent + 1
  local headers = {["Content-Type"] = "application/x-amz-json-1.0", ["Authorization"] = auth,
                   ["X-Amz-Date"] = os.date("!%Y%m%dT%H%M%SZ")}
  if b < 0 or b >= batches then
    headers["X-Amz-Target"] = "DynamoDB_20120810.DescribeTable"
    return wrk.format(nil, "/", headers, '{"TableName":"' .. table_name .. '"}')
  end
  headers["X-Amz-Target"] = "DynamoDB_20120810.BatchWriteItem"
  local parts = {}
  for i = b * batch, math.min(n, (b + 1) * batch) - 1 do
    parts[#parts + 1] = '{"PutRequest":{"Item":{"pk":{"S":"p' .. math.floor(i / 100) ..
      '"},"sk":{"N":"' .. (i % 100) .. '"},"payload":{"S":"' .. payload .. '"}}}}'
  end
  return wrk.format(nil, "/", headers, '{"RequestItems":{"' .. table_name .. '":[' ..
    table.concat(parts, ",") .. ']}}')
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("load failed, status " .. status .. ": " .. body .. "\n")
    os.exit(1)
  end
  if body:find('"UnprocessedItems"', 1, true) then
    if not body:find('"UnprocessedItems":{}', 1, true) then
      io.stderr:write("load failed, unprocessed items: " .. body .. "\n")
      os.exit(1)
    end
    answered = answered + 1
    if answered >= batches then os.exit(0) end
  end
end
