#!/usr/bin/env bash
# Runs slt_runner with the PostgreSQL engine over the sqllogictest corpus and checks that every
# file's ok/fail/skipped counts equal POSTGRES_BASELINE.txt (--baseline-exact): a check of the
# runner itself against the reference engine. Not part of `make test` (it takes minutes).
#
#   tests/slt/run_postgres_baseline.sh [SLT_RUNNER] [CORPUS_DIR]
#
# SLT_RUNNER defaults to build/release/tests/slt/slt_runner, CORPUS_DIR to
# ../shared/sqllogictest (beside the checkout). Needs PostgreSQL 15 server binaries
# (/usr/lib/postgresql/15/bin, Debian package postgresql-15) and, when run as root, the user
# postgres (initdb refuses root). Starts a throwaway server in a temp dir, stops it on exit.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
runner="${1:-$root/build/release/tests/slt/slt_runner}"
corpus="${2:-$root/../shared/sqllogictest}"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
port="${PG_PORT:-5497}"

[ -x "$runner" ] || { echo "no slt_runner at $runner (build it: ninja slt_runner)" >&2; exit 2; }
[ -f "$corpus/POSTGRES_BASELINE.txt" ] ||
  { echo "no POSTGRES_BASELINE.txt in $corpus" >&2; exit 2; }
[ -x "$pg_bin/initdb" ] || { echo "no PostgreSQL server binaries in $pg_bin" >&2; exit 2; }

work="$(mktemp -d /tmp/pgslt.XXXXXX)"
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
stop() {
  as_pg "$pg_bin/pg_ctl -D $work/data -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
[ "$(id -u)" = 0 ] && chown postgres "$work"
user="$(if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi)"

as_pg "$pg_bin/initdb -D $work/data -U $user --auth=trust" >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log" >&2; exit 2; }
# -F: no fsync; the server and its data are thrown away afterwards.
server_options="-p $port -k $work -F -c listen_addresses="
as_pg "$pg_bin/pg_ctl -D $work/data -o '$server_options' -l $work/log -w start" >/dev/null ||
  { cat "$work/log" >&2; exit 2; }

"$runner" --engine=postgresql --pg="host=$work port=$port user=$user dbname=postgres" \
  --baseline "$corpus/POSTGRES_BASELINE.txt" --baseline-exact --max-failures-shown 0 "$corpus"
