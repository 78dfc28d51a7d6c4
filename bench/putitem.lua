-- wrk script: PutItem of 1 KB items with distinct keys per thread.
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local table_name = bench.table_name("bench")
local payload = string.rep("x", 1000)
local counter = 0
-- Each wrk thread gets its own number in the global `tid` (thread:set writes
-- that thread's globals after this script has run there), so key prefixes are
-- distinct per thread. A `local tid` would shadow it and give every thread 0.
local threads_started = 0
tid = 0
setup = function(thread)
  threads_started = threads_started + 1
  thread:set("tid", threads_started)
end
bench.dynamodb_requests("PutItem")

request = function()
  counter = counter + 1
  local body = '{"TableName":"' .. table_name .. '","Item":{"pk":{"S":"w' .. tostring(tid) .. '-' .. counter ..
    '"},"data":{"S":"' .. payload .. '"}}}'
  return wrk.format(nil, "/", nil, body)
end
