-- wrk script: half GetItem, half UpdateItem ADD (alternating), on the N
-- pre-loaded items of bench/getitem.lua: issue 14's 50/50 mix, where a read
-- must not wait behind a write's fsync.
local n = tonumber(os.getenv("FDYNO_BENCH_ITEMS") or "1000")
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local table_name = bench.table_name("bench")
local counter = 0
bench.number_threads()
bench.dynamodb_requests("GetItem")

request = function()
  counter = counter + 1
  local k = (counter * 7919 + tid * 104729) % n
  local key = '"Key":{"pk":{"S":"k' .. k .. '"}}'
  if counter % 2 == 0 then
    wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.GetItem"
    return wrk.format(nil, "/", nil, '{"TableName":"' .. table_name .. '",' .. key .. '}')
  end
  wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.UpdateItem"
  return wrk.format(nil, "/", nil, '{"TableName":"' .. table_name .. '",' .. key ..
    ',"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}}}')
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("answered " .. status .. ": " .. body .. "\n")
  end
end
