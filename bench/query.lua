-- wrk script: Query of one whole partition of 100 items (Limit 100) from a
-- table loaded by bench/query_load.lua (partitions p0..p{P-1}, sort keys
-- 0..99). FDYNO_BENCH_PARTITIONS = number of partitions loaded.
local parts = tonumber(os.getenv("FDYNO_BENCH_PARTITIONS") or "100")
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local table_name = bench.table_name("qbench")
local counter = 0
bench.dynamodb_requests("Query")

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
