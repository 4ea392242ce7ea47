#!/usr/bin/env bash
# Runs redis-benchmark against redis-server 7 (appendonly yes, appendfsync everysec) and against
# `plexus serve` (durability periodic) on this machine in one run, with the same -n/-c/-P, each
# test on both back to back (REDIS_BENCH_ROUNDS times, 3 by default), and prints the median
# requests/s of both and the ratio plexus/redis per command, and each server's median CPU time
# per request (from /proc) with its ratio.
# The same promise on both sides: Redis write()s its AOF once per event-loop turn before the
# replies and fsyncs it every second; Plexus writes the WAL once per commit group before the
# replies and, with storage.periodic_sync_ms=1000, fsyncs it every second (the default, 10 ms,
# is stronger than everysec).
#   bench/redis/run.sh PLEXUS_BINARY [REQUESTS] [CLIENTS] [PIPELINES...]
set -euo pipefail
plexus=${1:?usage: run.sh PLEXUS_BINARY [REQUESTS] [CLIENTS] [PIPELINES...]}
requests=${2:-200000}
clients=${3:-50}
shift $(( $# >= 3 ? 3 : $# ))
pipelines=("$@")
[ ${#pipelines[@]} -gt 0 ] || pipelines=(1 16)
tests=${REDIS_BENCH_TESTS:-set,get,incr,lpush,rpop,sadd,hset,zadd,mset}
rounds=${REDIS_BENCH_ROUNDS:-5}

work=$(mktemp -d /tmp/plexus-bench-redis-XXXXXX)
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
  --set storage.periodic_sync_ms=1000 --set resp.port="$plexus_port" --set http.port=0 --set pg.port=0 \
  > "$work/plexus.log" 2>&1 &
plexus_pid=$!
wait_ready "$redis_port"
wait_ready "$plexus_port"

# The server's CPU time so far (user + system), in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
tick_us=$(( 1000000 / $(getconf CLK_TCK) ))

# One line "TEST rps server-us client-busy" of one redis-benchmark run:
# - server-us: the server's CPU time per request, which other load on the machine disturbs far
#   less than requests/s;
# - client-busy: the share of the run redis-benchmark (one thread) spent on a core. Near 1.00
#   the client, not the server, sets the pace, and both servers can only tie.
run_one() {
  local port=$1 pid=$2 pipeline=$3 test=$4 before
  before=$(cpu_ticks "$pid")
  /usr/bin/time -o "$work/time" -f '%e %U %S' \
    redis-benchmark -p "$port" -n "$requests" -c "$clients" -P "$pipeline" -t "$test" --csv -q \
    2>/dev/null | tail -n +2 | tr -d '"' | {
      IFS=, read -r name rps _
      after=$(cpu_ticks "$pid")
      read -r wall user system < "$work/time"
      awk -v n="$name" -v r="$rps" -v t=$((after - before)) -v u="$tick_us" -v q="$requests" \
        -v w="$wall" -v c="$user" -v s="$system" \
        'BEGIN { gsub(/ /, "_", n)
                 printf "%s %s %.2f %.2f\n", n, r, t * u / q, (w > 0 ? (c + s) / w : 0) }'
    }
}

# The median of the numbers on standard input, one per line.
median_of() { sort -g | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : 0) }'; }

# Column N of the runs of both servers, "redis plexus" per round.
both() { paste -d' ' <(cut -d' ' -f"$1" "$work/redis.runs") <(cut -d' ' -f"$1" "$work/plexus.runs"); }

# Each test runs on both servers back to back, `rounds` times, the server that goes first
# alternating, so that a change in the machine's load (this VM's speed swings by 2x over
# minutes) reaches both sides of a line alike. Printed: each side's median requests/s, server
# CPU per request and client busy share, and as the ratio the median of the rounds' own
# ratios: each compares two runs a few seconds apart, so a slow minute of the machine weighs on
# both sides of it.
printf '%-22s %4s %12s %12s %6s %9s %9s %6s %6s %6s\n' "command" "-P" "redis req/s" \
  "plexus req/s" "ratio" "redis us" "plexus us" "cpu" "busy r" "busy p"
for pipeline in "${pipelines[@]}"; do
  redis-cli -p "$redis_port" flushall > /dev/null
  redis-cli -p "$plexus_port" flushall > /dev/null
  for test in ${tests//,/ }; do
    : > "$work/redis.runs"
    : > "$work/plexus.runs"
    for round in $(seq 1 "$rounds"); do
      if (( round % 2 == 1 )); then
        run_one "$redis_port" "$redis_pid" "$pipeline" "$test" >> "$work/redis.runs"
        run_one "$plexus_port" "$plexus_pid" "$pipeline" "$test" >> "$work/plexus.runs"
      else
        run_one "$plexus_port" "$plexus_pid" "$pipeline" "$test" >> "$work/plexus.runs"
        run_one "$redis_port" "$redis_pid" "$pipeline" "$test" >> "$work/redis.runs"
      fi
    done
    name=$(head -n 1 "$work/redis.runs" | cut -d' ' -f1)
    ratio=$(both 2 | awk '{ printf "%.4f\n", ($1 > 0 ? $2 / $1 : 0) }' | median_of)
    cpu=$(both 3 | awk '{ printf "%.4f\n", ($2 > 0 ? $1 / $2 : 0) }' | median_of)
    printf '%-22s %4s %12s %12s %6.2f %9s %9s %6.2f %6s %6s\n' "$name" "$pipeline" \
      "$(cut -d' ' -f2 "$work/redis.runs" | median_of)" \
      "$(cut -d' ' -f2 "$work/plexus.runs" | median_of)" "$ratio" \
      "$(cut -d' ' -f3 "$work/redis.runs" | median_of)" \
      "$(cut -d' ' -f3 "$work/plexus.runs" | median_of)" "$cpu" \
      "$(cut -d' ' -f4 "$work/redis.runs" | median_of)" \
      "$(cut -d' ' -f4 "$work/plexus.runs" | median_of)"
  done
done
echo "(-n $requests -c $clients, medians of $rounds rounds; redis: appendonly yes, appendfsync" \
  "everysec; plexus: durability periodic, WAL fsync every 1000 ms; 'ratio': median of the rounds'" \
  "plexus/redis req/s; 'us': server CPU per request; 'cpu': median of the rounds' redis us /" \
  "plexus us; 'busy': share of the run redis-benchmark spent on a core (near 1.00: the client" \
  "sets the pace))"
