#!/usr/bin/env bash
# wrk against `plexus serve`'s HTTP front end: POST /api/v1/sql point queries by primary key and,
# when the documents API is there, GET /api/v1/collections/bench_docs/documents/{id}. Prints
# requests/s, p50 and p99 of each. (No peer: PostgreSQL has no HTTP API of its own.)
#   bench/http/run.sh PLEXUS_BINARY
# Environment (defaults): BENCH_HTTP_ROWS (10000), BENCH_HTTP_SECONDS (10),
# BENCH_HTTP_CONNECTIONS (16), BENCH_HTTP_THREADS (2).
set -euo pipefail
plexus=$(realpath "${1:?usage: run.sh PLEXUS_BINARY}")
here=$(cd "$(dirname "$0")" && pwd)
export BENCH_HTTP_ROWS=${BENCH_HTTP_ROWS:-10000}
seconds=${BENCH_HTTP_SECONDS:-10}
connections=${BENCH_HTTP_CONNECTIONS:-16}
threads=${BENCH_HTTP_THREADS:-2}

work=$(mktemp -d /tmp/plexus-bench-http-XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$plexus" serve --data "$work/data" --set resp.port=0 --set pg.port=0 --set "http.port=$port" \
  > "$work/plexus.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/ready" > /dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/plexus.log" >&2; exit 1; }
  sleep 0.1
done

sql() {
  curl -sf -X POST -H 'Content-Type: application/json' --data-binary "$1" \
    "http://127.0.0.1:$port/api/v1/sql" > /dev/null
}
sql '{"sql": "CREATE TABLE bench_accounts (id int PRIMARY KEY, name text, balance bigint)"}'
sql "{\"sql\": \"INSERT INTO bench_accounts SELECT g, 'name ' || g, g * 10 FROM generate_series(1, $BENCH_HTTP_ROWS) g\"}"

echo "plexus http, $connections connections, $threads wrk threads, ${seconds}s, $BENCH_HTTP_ROWS rows"
printf 'POST /api/v1/sql point query:  '
wrk -t "$threads" -c "$connections" -d "${seconds}s" -s "$here/point_query.lua" \
  "http://127.0.0.1:$port" | tail -1

# The documents API (server/http/documents.*), when this build has it.
if curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/collections/bench_docs" \
     | grep -q '^20'; then
  python3 - "$port" <<'PY'
import json, sys, urllib.request
port, rows = sys.argv[1], int(__import__("os").environ["BENCH_HTTP_ROWS"])
body = "\n".join(json.dumps({"_id": f"d{i}", "name": f"doc {i}", "n": i}) for i in range(1, rows + 1))
request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/collections/bench_docs/documents",
                                 data=body.encode(), method="POST",
                                 headers={"Content-Type": "application/x-ndjson"})
urllib.request.urlopen(request).read()
PY
  printf 'GET document by id:            '
  wrk -t "$threads" -c "$connections" -d "${seconds}s" -s "$here/get_document.lua" \
    "http://127.0.0.1:$port" | tail -1
else
  echo "GET document by id:            skipped (no documents API in this build)"
fi
