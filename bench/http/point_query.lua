-- wrk script: POST /api/v1/sql point queries by primary key over BENCH_HTTP_ROWS rows, with
-- the key as a parameter; prints p50/p99 latency and the non-2xx count at the end.
local rows = tonumber(os.getenv("BENCH_HTTP_ROWS") or "10000")
local errors = 0

request = function()
  local key = math.random(1, rows)
  local body = '{"sql": "SELECT id, name, balance FROM bench_accounts WHERE id = $1", "params": [' ..
      key .. ']}'
  return wrk.format("POST", "/api/v1/sql", {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s %.0f  p50 %.2f ms  p99 %.2f ms  non-200 %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
