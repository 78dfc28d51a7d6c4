-- wrk script: UpdateItem ADD n :one on one of N pre-loaded items (key
-- k0..k{N-1}, as bench/getitem.lua), spread over the keys so that few
-- requests at once touch the same item.
local n = tonumber(os.getenv("FDYNO_BENCH_ITEMS") or "1000")
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local table_name = bench.table_name("bench")
local counter = 0
bench.number_threads()
bench.dynamodb_requests("UpdateItem")

request = function()
  counter = counter + 1
  local k = (counter * 7919 + tid * 104729) % n
  local body = '{"TableName":"' .. table_name .. '","Key":{"pk":{"S":"k' .. k .. '"}},' ..
    '"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}}}'
  return wrk.format(nil, "/", nil, body)
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("UpdateItem answered " .. status .. ": " .. body .. "\n")
  end
end
