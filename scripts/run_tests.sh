#!/usr/bin/env bash
# Runs every CTest test of a build directory and prints a summary. Exit status is CTest's.
set -uo pipefail
build_dir=${1:?usage: run_tests.sh BUILD_DIR}
jobs=${PLEXUS_TEST_JOBS:-$(nproc)}
# Sanitizers: stop at the first error, with a stack; leak checking on.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

start=$(date +%s)
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" --timeout 900
status=$?
unit_tests=$("$build_dir/tests/plexus_unit_tests" --gtest_list_tests 2>/dev/null | grep -c '^  ')
echo "unit tests: $unit_tests GoogleTest cases in $(grep -c unit_tests_shard < <(ctest --test-dir "$build_dir" -N)) shards"
echo "test run took $(( $(date +%s) - start )) s (build: $build_dir, $jobs jobs)"
exit $status
