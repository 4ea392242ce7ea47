#!/usr/bin/env bash
# sqllogictest scripts through the PostgreSQL wire protocol: starts `plexus serve` (no fsync: the
# data is thrown away) on a free port of 127.0.0.1 with a temporary data directory, runs
# slt_runner's postgresql engine (libpq, a fresh session and no tables between files) against it
# with the remaining arguments, and stops the server.
#   run_over_pgwire.sh PLEXUS_BINARY SLT_RUNNER [slt_runner arguments: --baseline FILE, paths]
set -euo pipefail
plexus=${1:?usage: run_over_pgwire.sh PLEXUS_BINARY SLT_RUNNER [ARGS...]}
runner=${2:?usage: run_over_pgwire.sh PLEXUS_BINARY SLT_RUNNER [ARGS...]}
shift 2

work=$(mktemp -d /tmp/plexus-slt-wire-XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Settings come from the flags only (PLEXUS_* variables of the caller would change them).
env -0 | tr '\0' '\n' | grep -o '^PLEXUS_[A-Za-z0-9_]*' | sed 's/^/-u /' > "$work/unset" || true
# shellcheck disable=SC2046
env $(cat "$work/unset") "$plexus" serve --data "$work/data" --durability off --log-level warn \
  --set pg.address=127.0.0.1 --set pg.port="$port" --set pg.unix_socket_directories= \
  --set resp.port=0 --set http.port=0 > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "plexus serve exited; its log:" >&2
    cat "$work/server.log" >&2
    exit 2
  fi
  sleep 0.1
done

status=0
"$runner" --engine=postgresql --pg-reset=objects \
  --pg="host=127.0.0.1 port=$port user=postgres dbname=postgres" "$@" || status=$?
if ! kill -0 "$pid" 2>/dev/null; then
  echo "plexus serve died during the run; its log:" >&2
  cat "$work/server.log" >&2
  exit 2
fi
exit "$status"
