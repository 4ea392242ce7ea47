#!/usr/bin/env bash
# Installs every Debian package Plexus needs to build, test and benchmark.
# Idempotent: when every package is already installed it returns in well under a second.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache mold clang-14 libfuzzer-14-dev libclang-rt-14-dev pkg-config
  tzdata
  # libraries
  librocksdb-dev libpg-query-dev libprotobuf-c-dev libboost1.81-dev libssl-dev libtomlplusplus-dev
  libcli11-dev libspdlog-dev libfmt-dev libsimdjson-dev nlohmann-json3-dev libgtest-dev libgmock-dev
  libbenchmark-dev libzstd-dev liblz4-dev libxxhash-dev libre2-dev libsnappy-dev libbz2-dev zlib1g-dev
  libreadline-dev libsqlite3-dev libicu-dev liburing-dev
  # peers and clients for tests and benchmarks
  postgresql postgresql-contrib redis-server redis-tools
  python3-psycopg python3-redis python3-pytest libpq-dev python3-asyncpg python3-psycopg2
  python3-sqlalchemy
  # JDBC smoke test (tests/pgwire/test_jdbc.py runs a Java source file with PostgreSQL's driver)
  openjdk-17-jdk-headless libpostgresql-jdbc-java
  # the web console in headless Chromium over the DevTools protocol; promtool checks /metrics
  chromium python3-websocket prometheus
  # HTTP benchmark (bench/http)
  wrk
  # profiling (bench/sql_embedded README: perf record -g)
  linux-perf
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${#missing[@]} package(s): ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: must run as root to install packages (or install them yourself)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
