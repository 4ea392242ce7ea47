#!/usr/bin/env bash
# pgbench 15 against PostgreSQL 15 (own temp initdb: synchronous_commit on, fsync on,
# shared_buffers 1GB) and against `plexus serve` (durability sync), one server after the other in
# one run, each workload over TCP on 127.0.0.1 and over a Unix-domain socket (pgbench's default
# when no host is given). Prints tps of both, the ratio plexus/postgres and the failed
# transactions of each workload and transport.
#   bench/pgbench/run.sh PLEXUS_BINARY
# Environment (defaults): BENCH_PGBENCH_SCALE (10), BENCH_PGBENCH_SECONDS (30),
# BENCH_PGBENCH_CLIENTS (8), BENCH_PGBENCH_THREADS (2), BENCH_PGBENCH_WORKLOADS (all of
# select-prepared,select-simple,tpcb-simple,tpcb-prepared), BENCH_PGBENCH_TRANSPORTS (tcp,unix),
# BENCH_PGBENCH_SERVERS (postgres,plexus), BENCH_PGBENCH_PERF_DIR (record `perf record -g` of plexus per workload there).
set -euo pipefail
plexus=$(realpath "${1:?usage: run.sh PLEXUS_BINARY}")
scale=${BENCH_PGBENCH_SCALE:-10}
seconds=${BENCH_PGBENCH_SECONDS:-30}
clients=${BENCH_PGBENCH_CLIENTS:-8}
threads=${BENCH_PGBENCH_THREADS:-2}
workloads=${BENCH_PGBENCH_WORKLOADS:-select-prepared,select-simple,tpcb-simple,tpcb-prepared}
transports=${BENCH_PGBENCH_TRANSPORTS:-tcp,unix}
servers=${BENCH_PGBENCH_SERVERS:-postgres,plexus}
perf_dir=${BENCH_PGBENCH_PERF_DIR:-}
pg_bin=/usr/lib/postgresql/15/bin

work=$(mktemp -d /tmp/plexus-bench-pgbench-XXXXXX)
chmod 755 "$work"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() {
  for _ in $(seq 1 600); do
    "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$1" && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "server on port $1 did not start; its log:" >&2
  cat "$2" >&2
  exit 1
}

start_postgres() {
  local port=$1 data="$work/postgres"
  mkdir -p "$data"
  chown postgres "$data"
  su postgres -c "$pg_bin/initdb -D $data --auth=trust -U postgres" > "$work/initdb.log" 2>&1
  # Run in the foreground of a shell owned by postgres; `exec` makes $! the postmaster itself.
  su postgres -s /bin/bash -c "exec $pg_bin/postgres -D $data -p $port \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories=$data \
    -c synchronous_commit=on -c fsync=on -c shared_buffers=1GB" > "$work/postgres.log" 2>&1 &
  server_pid=$!
  wait_ready "$port" "$work/postgres.log"
}

start_plexus() {
  local port=$1
  "$plexus" serve --data "$work/plexus" --durability sync --log-level warn \
    --set pg.address=127.0.0.1 --set pg.port="$port" --set resp.port=0 --set http.port=0 \
    --set pg.unix_socket_directories="$work" \
    > "$work/plexus.log" 2>&1 &
  server_pid=$!
  wait_ready "$port" "$work/plexus.log"
}

# pgbench's arguments for a workload name.
workload_args() {
  case "$1" in
    select-prepared) echo "-S -M prepared" ;;
    select-simple) echo "-S -M simple" ;;
    tpcb-simple) echo "-M simple" ;;
    tpcb-prepared) echo "-M prepared" ;;
    *) echo "unknown workload $1" >&2; exit 1 ;;
  esac
}

# The directory of a server's Unix-domain socket.
socket_dir() {
  case "$1" in
    postgres) echo "$work/postgres" ;;
    plexus) echo "$work" ;;
  esac
}

# pgbench's connection arguments for a server over a transport.
connection_args() {  # connection_args SERVER PORT TRANSPORT
  case "$3" in
    tcp) echo "-h 127.0.0.1 -p $2 -U postgres -n" ;;
    unix) echo "-h $(socket_dir "$1") -p $2 -U postgres -n" ;;
    *) echo "unknown transport $3" >&2; exit 1 ;;
  esac
}

# Runs one workload over one transport; appends "workload/transport tps failed aborted" to
# $work/<server>.results.
run_workload() {  # run_workload SERVER PORT TRANSPORT WORKLOAD
  local server=$1 port=$2 transport=$3 workload=$4
  local log="$work/$server.$workload.$transport.log" perf_pid=""
  if [ -n "$perf_dir" ] && [ "$server" = plexus ]; then
    mkdir -p "$perf_dir"
    perf record -g -o "$perf_dir/perf.$workload.$transport.data" -p "$server_pid" \
      > "$perf_dir/perf.$workload.$transport.log" 2>&1 &
    perf_pid=$!
  fi
  # A run whose clients aborted exits non-zero but still reports what it did.
  # shellcheck disable=SC2046
  pgbench $(workload_args "$workload") -c "$clients" -j "$threads" -T "$seconds" \
    $(connection_args "$server" "$port" "$transport") postgres > "$log" 2>&1 || true
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
  fi
  local tps failed aborted
  tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$log" | tail -1)
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$log")
  aborted=$(grep -c 'aborted in command' "$log" || true)
  echo "$workload/$transport ${tps:-0} ${failed:-?} ${aborted:-0}" >> "$work/$server.results"
  echo "$server $workload over $transport: tps ${tps:-0}, failed ${failed:-?}," \
    "aborted clients $aborted" >&2
  if [ -z "$tps" ] || [ "$aborted" != 0 ]; then tail -5 "$log" >&2; fi
}

# pgbench -i, then every workload over every transport, on the server at `port`.
run_server() {
  local server=$1 port=$2
  : > "$work/$server.results"
  local begin=$SECONDS
  # shellcheck disable=SC2046
  if ! pgbench -i -s "$scale" -q $(connection_args "$server" "$port" tcp) postgres \
      > "$work/$server.init.log" 2>&1; then
    echo "$server: pgbench -i failed:" >&2
    cat "$work/$server.init.log" >&2
    return 1
  fi
  echo "$server: pgbench -i -s $scale took $((SECONDS - begin)) s" >&2
  # Each workload over every transport before the next workload: the transports of one workload
  # then read the same data (TPC-B's updates, once made, slow the reads after them).
  local transport workload
  for workload in ${workloads//,/ }; do
    for transport in ${transports//,/ }; do
      run_workload "$server" "$port" "$transport" "$workload"
    done
  done
}

for server in ${servers//,/ }; do
  port=$(free_port)
  case "$server" in
    postgres) start_postgres "$port" ;;
    plexus) start_plexus "$port" ;;
    *) echo "unknown server $server" >&2; exit 1 ;;
  esac
  run_server "$server" "$port"
  stop_server
done

result() {  # result SERVER WORKLOAD FIELD(2 tps, 3 failed, 4 aborted)
  [ -f "$work/$1.results" ] || { echo "-"; return; }
  awk -v w="$2" -v f="$3" '$1 == w { print $f }' "$work/$1.results"
}

printf '%-16s %-9s %12s %12s %7s %13s %13s\n' workload transport "postgres tps" "plexus tps" \
  ratio "pg failed" "plexus failed"
for transport in ${transports//,/ }; do
  for name in ${workloads//,/ }; do
    workload=$name/$transport
    pg_tps=$(result postgres "$workload" 2)
    px_tps=$(result plexus "$workload" 2)
    ratio=$(awk -v p="$px_tps" -v r="$pg_tps" 'BEGIN { printf "%.2f", (r > 0 ? p / r : 0) }')
    pg_failed=$(result postgres "$workload" 3)
    px_failed=$(result plexus "$workload" 3)
    pg_aborted=$(result postgres "$workload" 4)
    px_aborted=$(result plexus "$workload" 4)
    [ "${pg_aborted:-0}" != 0 ] && [ "$pg_aborted" != - ] && pg_failed="$pg_failed+${pg_aborted}ab"
    [ "${px_aborted:-0}" != 0 ] && [ "$px_aborted" != - ] && px_failed="$px_failed+${px_aborted}ab"
    printf '%-16s %-9s %12.0f %12.0f %7s %13s %13s\n' "$name" "$transport" "${pg_tps/-/0}" \
      "${px_tps/-/0}" "$ratio" "$pg_failed" "$px_failed"
  done
done
echo "(pgbench -s $scale -c $clients -j $threads -T $seconds; tcp: 127.0.0.1, unix: a" \
  "Unix-domain socket; postgres 15:" \
  "synchronous_commit on, fsync on, shared_buffers 1GB; plexus: durability sync;" \
  "'Nab': N clients aborted)"
