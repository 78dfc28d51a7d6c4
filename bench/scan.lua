-- wrk script: Scan pages of the table loaded by bench/query_load.lua
-- (partitions p0..p{P-1}, sort keys 0..99). Each chain of pages starts at a
-- random existing key (ExclusiveStartKey {pk: p<r>, sk: s}) and then follows
-- the LastEvaluatedKey of each answer for FDYNO_BENCH_CHAIN pages (or until
-- the table ends), so both "first page after a seek" and "next page" costs
-- are measured. Answers are matched to chains FIFO: wrk's connections each
-- send their next request right after their answer, so a continuation key
-- is normally reused by the connection that received it.
-- Env: FDYNO_BENCH_PARTITIONS (P), FDYNO_BENCH_LIMIT (page Limit; 0 = no
-- Limit, i.e. DynamoDB's 1 MB page), FDYNO_BENCH_CHAIN (pages per chain, 5),
-- FDYNO_BENCH_TABLE (qbench).
-- done() prints pages and items per page, so a benchmark cannot silently
-- measure empty pages.
local parts = tonumber(os.getenv("FDYNO_BENCH_PARTITIONS") or "100")
local limit = tonumber(os.getenv("FDYNO_BENCH_LIMIT") or "100")
local chain = tonumber(os.getenv("FDYNO_BENCH_CHAIN") or "5")
local table_name = os.getenv("FDYNO_BENCH_TABLE") or "qbench"
local pending = {}  -- continuation keys {pk, sk, depth} waiting for a request
local head, tail = 1, 0
pages, items, ends = 0, 0, 0  -- globals: done() reads them with thread:get
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.Scan"
wrk.headers["X-Amz-Date"] = os.date("!%Y%m%dT%H%M%SZ")
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=bench/" .. os.date("!%Y%m%d") ..
  "/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)

local threads = {}
setup = function(thread)
  thread:set("seed", os.time() + math.random(1000000))
  threads[#threads + 1] = thread
end

init = function(args)
  math.randomseed(seed or os.time())
end

local depth_of_next = {}  -- FIFO of the depth of each request sent

request = function()
  local pk, sk, depth
  if head <= tail then
    local c = pending[head]
    pending[head] = nil
    head = head + 1
    pk, sk, depth = c[1], c[2], c[3]
  else
    pk, sk, depth = "p" .. math.random(0, parts - 1), tostring(math.random(0, 99)), 1
  end
  depth_of_next[#depth_of_next + 1] = depth
  local body = '{"TableName":"' .. table_name .. '","ExclusiveStartKey":{"pk":{"S":"' .. pk ..
    '"},"sk":{"N":"' .. sk .. '"}}' .. (limit > 0 and (',"Limit":' .. limit) or '') .. '}'
  return wrk.format(nil, "/", nil, body)
end

response = function(status, headers, body)
  local depth = table.remove(depth_of_next, 1) or 1
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. body:sub(1, 300) .. "\n")
    return
  end
  pages = pages + 1
  local count = body:match('"Count":(%d+)')
  items = items + (tonumber(count) or 0)
  local lek = body:match('"LastEvaluatedKey":(%b{})')
  if not lek then
    ends = ends + 1
    return
  end
  if depth < chain then
    local pk = lek:match('"pk":{"S":"([^"]*)"}')
    local sk = lek:match('"sk":{"N":"([^"]*)"}')
    if pk and sk then
      tail = tail + 1
      pending[tail] = {pk, sk, depth + 1}
    end
  end
end

done = function(summary, latency, requests)
  -- The counters live in each thread's Lua state: read them back.
  local p, i, e = 0, 0, 0
  for _, t in ipairs(threads) do
    p, i, e = p + t:get("pages"), i + t:get("items"), e + t:get("ends")
  end
  io.write(string.format("scan pages: %d, items/page %.1f, pages that ended the table %d (limit %s, chain %d)\n",
    p, p > 0 and i / p or 0, e, limit > 0 and tostring(limit) or "1MB", chain))
end
