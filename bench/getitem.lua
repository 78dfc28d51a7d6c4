-- wrk script: GetItem of one of N pre-loaded 1 KB items (key k0..k{N-1}).
local n = tonumber(os.getenv("FDYNO_BENCH_ITEMS") or "1000")
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local table_name = bench.table_name("bench")
local counter = 0
bench.dynamodb_requests("GetItem")

request = function()
  counter = counter + 1
  local body = '{"TableName":"' .. table_name .. '","Key":{"pk":{"S":"k' .. (counter % n) .. '"}}}'
  return wrk.format(nil, "/", nil, body)
end
