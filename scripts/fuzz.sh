#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang and runs each one.
#   scripts/fuzz.sh smoke        — a fixed number of runs per target from a fixed seed (make test)
#   scripts/fuzz.sh run SECONDS  — fuzz each target for SECONDS, keeping a corpus in build/fuzz/corpus
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-smoke}
build_dir=build/fuzz
CXX=clang++-14 cmake -S fuzz -B "$build_dir" -G Ninja > /dev/null
cmake --build "$build_dir" > "$build_dir/build.log" 2>&1 || { tail -40 "$build_dir/build.log"; exit 1; }
targets=$(find "$build_dir" -maxdepth 1 -type f -executable -name 'fuzz_*' | sort)
for target in $targets; do
  name=$(basename "$target")
  corpus="$build_dir/corpus/$name"
  mkdir -p "$corpus"
  if [ "$mode" = smoke ]; then
    "$target" -runs=200000 -seed=1 "$corpus" > "$build_dir/$name.log" 2>&1 ||
      { tail -30 "$build_dir/$name.log"; echo "fuzz: $name FAILED"; exit 1; }
  else
    "$target" -max_total_time="${2:-60}" "$corpus"
  fi
  echo "fuzz: $name ok ($(grep -oE 'Done [0-9]+ runs' "$build_dir/$name.log" 2>/dev/null || echo done))"
done
