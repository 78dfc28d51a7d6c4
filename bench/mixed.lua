-- wrk script: a mixed load for the soak benchmark (bench/soak.sh). Per 100
-- requests: 40 GetItem, 20 PutItem (1 KB, keys wrap at FDYNO_BENCH_KEYS so the
-- data set levels off), 20 UpdateItem ADD, 10 Query (one partition, up to 25
-- items), 5 Scan pages (Limit 50), 4 BatchWriteItem of 10 items, and 1 PutItem
-- of a 1 MB item, which DynamoDB's 400 KB limit refuses (it checks that big
-- rejected requests do not pin memory).
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local table_name = bench.table_name("bench")
local keys = tonumber(os.getenv("FDYNO_BENCH_KEYS") or "50000")
local payload = string.rep("x", 1000)
local huge = string.rep("y", 1024 * 1024)
local counter = 0
bench.number_threads()
bench.dynamodb_requests("GetItem")

local function headers(op)
  return {
    ["Content-Type"] = "application/x-amz-json-1.0",
    ["X-Amz-Target"] = "DynamoDB_20120810." .. op,
    ["X-Amz-Date"] = wrk.headers["X-Amz-Date"],
    ["Authorization"] = bench.authorization,
  }
end

local h = {}
for _, op in ipairs({"GetItem", "PutItem", "UpdateItem", "Query", "Scan", "BatchWriteItem"}) do h[op] = headers(op) end

local function key(n)
  return '{"pk":{"S":"p' .. (n % 500) .. '"},"sk":{"N":"' .. (n % keys) .. '"}}'
end

request = function()
  counter = counter + 1
  local n = counter * 7919 + tid * 104729
  local slot = counter % 100
  local op, body
  if slot < 40 then
    op, body = "GetItem", '{"TableName":"' .. table_name .. '","Key":' .. key(n) .. '}'
  elseif slot < 60 then
    op = "PutItem"
    body = '{"TableName":"' .. table_name .. '","Item":{"pk":{"S":"p' .. (n % 500) .. '"},"sk":{"N":"' ..
      (n % keys) .. '"},"data":{"S":"' .. payload .. '"}}}'
  elseif slot < 80 then
    op = "UpdateItem"
    body = '{"TableName":"' .. table_name .. '","Key":' .. key(n) ..
      ',"UpdateExpression":"ADD c :one","ExpressionAttributeValues":{":one":{"N":"1"}}}'
  elseif slot < 90 then
    op = "Query"
    body = '{"TableName":"' .. table_name .. '","KeyConditionExpression":"pk = :p","Limit":25,' ..
      '"ExpressionAttributeValues":{":p":{"S":"p' .. (n % 500) .. '"}}}'
  elseif slot < 95 then
    op, body = "Scan", '{"TableName":"' .. table_name .. '","Limit":50}'
  elseif slot < 99 then
    op = "BatchWriteItem"
    local puts = {}
    for i = 1, 10 do
      puts[i] = '{"PutRequest":{"Item":{"pk":{"S":"b' .. ((n + i) % 500) .. '"},"sk":{"N":"' .. ((n + i) % keys) ..
        '"},"data":{"S":"' .. payload .. '"}}}}'
    end
    body = '{"RequestItems":{"' .. table_name .. '":[' .. table.concat(puts, ",") .. ']}}'
  else
    op = "PutItem"
    body = '{"TableName":"' .. table_name .. '","Item":{"pk":{"S":"huge"},"sk":{"N":"1"},"data":{"S":"' ..
      huge .. '"}}}'
  end
  return wrk.format("POST", "/", h[op], body)
end

