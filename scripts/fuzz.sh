#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang and runs each one.
#   scripts/fuzz.sh smoke        — make test: from a fixed seed, the decoders of untrusted network
#                                  input (RESP parser, PostgreSQL messages) for 60 s each, as
#                                  issues 5 and 6 ask, every other target for a fixed number of runs
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
    case "$name" in
      fuzz_resp_parser | fuzz_pgwire_messages) budget=(-max_total_time=60) ;;
      *) budget=(-runs=200000) ;;
    esac
    "$target" "${budget[@]}" -seed=1 "$corpus" > "$build_dir/$name.log" 2>&1 ||
      { tail -30 "$build_dir/$name.log"; echo "fuzz: $name FAILED"; exit 1; }
  else
    "$target" -max_total_time="${2:-60}" "$corpus"
  fi
  echo "fuzz: $name ok ($(grep -oE 'Done [0-9]+ runs' "$build_dir/$name.log" 2>/dev/null || echo done))"
done
