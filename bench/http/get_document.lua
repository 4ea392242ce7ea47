-- wrk script: GET /api/v1/collections/bench_docs/documents/{id} over BENCH_HTTP_ROWS documents.
local rows = tonumber(os.getenv("BENCH_HTTP_ROWS") or "10000")

request = function()
  return wrk.format("GET", "/api/v1/collections/bench_docs/documents/d" .. math.random(1, rows))
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s %.0f  p50 %.2f ms  p99 %.2f ms  non-200 %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
