#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang and runs each one.
#   scripts/fuzz.sh build [JOBS] — configures and builds them in build/fuzz (make test's build
#                                  phase runs this, as the sanitizer build's fuzz_targets target)
#   scripts/fuzz.sh smoke [TARGET] — make test (one CTest test per target, after fuzz_build): from
#                                  a fixed seed, the decoders of untrusted network input (RESP
#                                  parser, PostgreSQL messages) for 60 s each, as issues 5 and 6
#                                  ask, every other target for a fixed number of runs; without
#                                  TARGET, builds and runs them all
#   scripts/fuzz.sh run SECONDS  — builds, then fuzzes each target for SECONDS, keeping a corpus in
#                                  build/fuzz/corpus
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-smoke}
build_dir=build/fuzz
target=${2:-}
# One target's smoke (a CTest test) runs what the fuzz_build test or the build phase built.
if [ "$mode" != smoke ] || [ -z "$target" ]; then
  # Configured once; Ninja reconfigures by itself when fuzz/CMakeLists.txt changes.
  if [ ! -f "$build_dir/build.ninja" ]; then
    CXX=clang++-14 cmake -S fuzz -B "$build_dir" -G Ninja > /dev/null
  fi
  jobs=()
  if [ "$mode" = build ] && [ -n "${2:-}" ]; then jobs=(-j "$2"); fi
  cmake --build "$build_dir" "${jobs[@]}" > "$build_dir/build.log" 2>&1 ||
    { tail -40 "$build_dir/build.log"; exit 1; }
  [ "$mode" = build ] && exit 0
fi
if [ "$mode" = smoke ] && [ -n "$target" ]; then
  targets=$build_dir/$target
  [ -x "$targets" ] || { echo "fuzz: $targets is not built (scripts/fuzz.sh build)"; exit 1; }
else
  targets=$(find "$build_dir" -maxdepth 1 -type f -executable -name 'fuzz_*' | sort)
fi
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
