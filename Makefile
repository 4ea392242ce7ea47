# Entry points. `make run` and `make test` are the README's two commands; both install what they
# need first (scripts/setup.sh, a no-op when everything is there).
SHELL := /bin/bash
BUILD_TEST := build/test
BUILD_RELEASE := build/release
DATA_DIR ?= ./data
CRASH_ROUNDS ?= 500

.PHONY: all setup release test-build run test bench bench-redis bench-sql bench-pgbench bench-http crash-test \
	fuzz format \
	clean

all: release

setup:
	@scripts/setup.sh

release: setup
	@cmake -S . -B $(BUILD_RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(BUILD_RELEASE)

test-build: setup
	@cmake -S . -B $(BUILD_TEST) -G Ninja -DPLEXUS_SANITIZE=ON > /dev/null
	@cmake --build $(BUILD_TEST)

# Builds Release and serves on $(DATA_DIR) until SIGINT/SIGTERM.
run: release
	@mkdir -p $(DATA_DIR)
	exec $(BUILD_RELEASE)/plexus serve --data $(DATA_DIR)

# Every test (unit, property, isolation, layer check, crash) under ASan + UBSan.
test: test-build
	@scripts/run_tests.sh $(BUILD_TEST)

bench: release
	$(BUILD_RELEASE)/bench/storage_bench

# redis-benchmark against redis-server and plexus serve, side by side (bench/redis/run.sh).
BENCH_REDIS_REQUESTS ?= 200000
BENCH_REDIS_CLIENTS ?= 50
bench-redis: release
	bench/redis/run.sh $(BUILD_RELEASE)/plexus $(BENCH_REDIS_REQUESTS) $(BENCH_REDIS_CLIENTS) 1 16

# SQLite 3 and Plexus embedded on the same SQL workloads (bench/sql_embedded); BENCH_SQL_ROWS=100000
# for a quick run.
BENCH_SQL_ROWS ?= 1000000
bench-sql: release
	$(BUILD_RELEASE)/bench/sql_embedded_bench --rows=$(BENCH_SQL_ROWS)

# pgbench 15 against PostgreSQL 15 and Plexus (durability sync) in one run (bench/pgbench/run.sh);
# BENCH_PGBENCH_SECONDS=10 BENCH_PGBENCH_SCALE=1 for a quick run.
bench-pgbench: release
	bench/pgbench/run.sh $(BUILD_RELEASE)/plexus

# wrk against the HTTP front end: SQL API point queries and document reads (bench/http/run.sh);
# BENCH_HTTP_SECONDS=5 for a quick run.
bench-http: release
	bench/http/run.sh $(BUILD_RELEASE)/plexus

crash-test: test-build
	/usr/bin/python3 tests/crash/crash_driver.py --writer $(BUILD_TEST)/tests/crash/crash_writer \
	  --rounds $(CRASH_ROUNDS)

format:
	@find src include tests bench examples -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build

# Fuzz every parser of untrusted bytes for FUZZ_SECONDS each (make test runs a short smoke).
FUZZ_SECONDS ?= 60
fuzz: setup
	scripts/fuzz.sh run $(FUZZ_SECONDS)
