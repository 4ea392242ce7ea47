#!/usr/bin/env bash
# Runs redis-benchmark against redis-server 7 (appendonly yes, appendfsync everysec) and against
# `plexus serve` (durability periodic) on this machine, one after the other in one run, with the
# same -n/-c/-P, and prints requests/s of both and the ratio plexus/redis per command.
#   bench/resp/run.sh PLEXUS_BINARY [REQUESTS] [CLIENTS] [PIPELINES...]
set -euo pipefail
plexus=${1:?usage: run.sh PLEXUS_BINARY [REQUESTS] [CLIENTS] [PIPELINES...]}
requests=${2:-200000}
clients=${3:-50}
shift $(( $# >= 3 ? 3 : $# ))
pipelines=("$@")
[ ${#pipelines[@]} -gt 0 ] || pipelines=(1 16)
tests=${RESP_BENCH_TESTS:-set,get,incr,lpush,rpop,sadd,hset,zadd,mset}

work=$(mktemp -d /tmp/plexus-bench-resp-XXXXXX)
redis_pid=""
plexus_pid=""
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  [ -n "$plexus_pid" ] && kill "$plexus_pid" 2>/dev/null && wait "$plexus_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() {
  for _ in $(seq 1 600); do redis-cli -p "$1" ping > /dev/null 2>&1 && return 0; sleep 0.1; done
  echo "server on port $1 did not start" >&2; exit 1
}

redis_port=$(free_port)
mkdir -p "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis" --save "" \
  --appendonly yes --appendfsync everysec --daemonize no > "$work/redis.log" 2>&1 &
redis_pid=$!
plexus_port=$(free_port)
"$plexus" serve --data "$work/plexus" --durability periodic --log-level warn \
  --set resp.port="$plexus_port" > "$work/plexus.log" 2>&1 &
plexus_pid=$!
wait_ready "$redis_port"
wait_ready "$plexus_port"

# "test","rps",... lines of redis-benchmark --csv, as "TEST rps".
run() {
  redis-cli -p "$1" flushall > /dev/null
  redis-benchmark -p "$1" -n "$requests" -c "$clients" -P "$2" -t "$tests" --csv -q 2>/dev/null |
    tail -n +2 | tr -d '"' | awk -F, '{name = $1; gsub(/ /, "_", name); print name, $2}'
}

printf '%-28s %4s %14s %14s %8s\n' "command" "-P" "redis req/s" "plexus req/s" "ratio"
for pipeline in "${pipelines[@]}"; do
  run "$redis_port" "$pipeline" > "$work/redis.$pipeline"
  run "$plexus_port" "$pipeline" > "$work/plexus.$pipeline"
  join <(sort "$work/redis.$pipeline") <(sort "$work/plexus.$pipeline") |
    while read -r name redis_rps plexus_rps; do
      ratio=$(awk -v p="$plexus_rps" -v r="$redis_rps" 'BEGIN { printf "%.2f", (r > 0 ? p / r : 0) }')
      printf '%-28s %4s %14s %14s %8s\n' "$name" "$pipeline" "$redis_rps" "$plexus_rps" "$ratio"
    done
done
echo "(-n $requests -c $clients; redis: appendonly yes, appendfsync everysec; plexus: durability periodic)"
