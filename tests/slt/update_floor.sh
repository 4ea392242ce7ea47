#!/usr/bin/env bash
# Rewrites PLEXUS_FLOOR.txt from a run of every shared sqllogictest script on Plexus: each file's
# passed count becomes the floor that `make test` holds it to.
#   tests/slt/update_floor.sh [BUILD_DIR]   (default build/test)
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=${1:-build/test}
scripts=$(cd ../shared/sqllogictest && pwd)
{
  echo "# Records of each file that Plexus passes (the floor make test enforces); see update_floor.sh."
  echo "# file ok fail skipped"
  # The runner exits 1 when any record fails; the counts are what matter here.
  { "$build_dir/tests/slt/slt_runner" --engine=plexus --max-failures-shown 0 "$scripts" 2>/dev/null ||
      true; } |
    sed -nE 's/^(.*\.test): passed ([0-9]+), failed ([0-9]+), skipped ([0-9]+)$/\1 \2 \3 \4/p'
} > tests/slt/PLEXUS_FLOOR.txt.new
mv tests/slt/PLEXUS_FLOOR.txt.new tests/slt/PLEXUS_FLOOR.txt
echo "wrote tests/slt/PLEXUS_FLOOR.txt"
