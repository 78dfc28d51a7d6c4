-- wrk script: Query of one whole partition of 100 items (Limit 100) from a
-- table loaded by bench/query_load.lua (partitions p0..p{P-1}, sort keys
-- 0..99). FDYNO_BENCH_PARTITIONS = number of partitions loaded.
local parts = tonumber(os.getenv("FDYNO_BENCH_PARTITIONS") or "100")
local table_name = os.getenv("FDYNO_BENCH_TABLE") or "qbench"
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.Query"
wrk.headers["X-Amz-Date"] = os.date("!%Y%m%dT%H%M%SZ")
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=bench/" .. os.date("!%Y%m%d") ..
  "/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)

request = function()
  -- A multiplicative step spreads consecutive requests over the table.
  counter = counter + 1
  local p = (counter * 7919) % parts
  local body = '{"TableName":"' .. table_name .. '","KeyConditionExpression":"pk = :p",' ..
    '"ExpressionAttributeValues":{":p":{"S":"p' .. p .. '"}},"Limit":100}'
  return wrk.format(nil, "/", nil, body)
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
