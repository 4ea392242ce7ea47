#!/usr/bin/env bash
# Compiles all the sources of each unity target (libplexus, the unit tests) as ONE translation unit
# with -fsyntax-only and the build's own flags. Unity batches (cmake/unity_build.cmake) put files
# together by position, so any two files may share a batch after the next file is added; this
# check fails on a clash between ANY two files' internal names (unnamed namespace, static, a
# file-scope `using namespace`) in every build type, not only when a batch of the sanitizer build
# happens to hold both. About 60 s of CPU and 2 GB of memory.
# Usage: scripts/check_unity_batches.sh BUILD_DIR
set -euo pipefail
build_dir=$(cd "$1" && pwd)
failed=0
for target in plexus plexus_unit_tests; do
  # Written at configure time by plexus_unity_check_sources (cmake/unity_build.cmake).
  all_sources="$build_dir/unity_check/$target.cc"
  [ -f "$all_sources" ] || { echo "check_unity_batches: no $all_sources (configure first)" >&2; exit 2; }
  # The compiler and flags of one of the target's own compile commands, without -o/-c.
  mapfile -d '' command < <(/usr/bin/env python3 - "$build_dir/compile_commands.json" "$target" <<'PY'
import json, shlex, sys
commands, target = json.load(open(sys.argv[1])), sys.argv[2]
for entry in commands:
    words = entry.get("arguments") or shlex.split(entry["command"])
    if "-o" in words and f"/{target}.dir/" in "/" + words[words.index("-o") + 1]:
        kept, skip = [], False
        for word in words:
            if skip: skip = False; continue
            if word in ("-o", "-c", "-MF", "-MT", "-MQ"): skip = True; continue
            if word in ("-MD", "-MMD"): continue
            kept.append(word)
        sys.stdout.write("\0".join(kept) + "\0")
        sys.exit(0)
sys.exit(f"check_unity_batches: no compile command of {target} in {sys.argv[1]}")
PY
  )
  [ ${#command[@]} -gt 0 ] || exit 2
  log="$build_dir/unity_check/$target.log"
  if (cd "$build_dir" && "${command[@]}" -fsyntax-only "$all_sources") > "$log" 2>&1; then
    echo "check_unity_batches: $target: $(grep -c '^#include' "$all_sources") sources compile as one unit"
  else
    failed=1
    cat <<MESSAGE
check_unity_batches: $target's sources do not compile as one translation unit, so some unity
batch of them would fail (make test's sanitizer build compiles batches of
PLEXUS_UNITY_BATCH_SIZE files). Usually two files define the same internal name (unnamed
namespace or static) or one says \`using namespace\` at file scope. Rename the internal name to
say what it is in its file, or move a shared helper into a header both include; the compiler says
which files (full output: $log):
MESSAGE
    grep -E 'error:|previous(ly)? (defined|declared|declaration|definition)|candidate' "$log" |
      sed "s|$(cd "$(dirname "$0")/.." && pwd)/||" | head -40
  fi
done
exit $failed
