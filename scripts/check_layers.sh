#!/usr/bin/env bash
# Checks that every `#include "plexus/<layer>/..."` in src/ goes to a layer below the includer's
# (or the same layer). The order is read from docs/architecture.md's "Layer order" list.
set -euo pipefail
cd "$(dirname "$0")/.."

order=$(sed -n '/^## Layer order/,/^## /p' docs/architecture.md | grep -oE '^[0-9]+\. `[a-z_]+`' |
        grep -oE '`[a-z_]+`' | tr -d '`')
[ -n "$order" ] || { echo "check_layers: no '## Layer order' list in docs/architecture.md" >&2; exit 2; }
# One grep over every file and one awk over its output (a process per include took ~40 s).
find src/plexus \( -name '*.h' -o -name '*.cc' \) -print0 | sort -z |
  xargs -0 grep -nE --with-filename '^#include "plexus/[a-z_]+/|^' /dev/null |
  awk -v order="$order" '
    BEGIN { n = split(order, layers, /[[:space:]]+/); for (i = 1; i <= n; i++) rank[layers[i]] = i }
    {
      # FILE:LINE:TEXT; a file shows up with its first line even without includes.
      first = index($0, ":"); file = substr($0, 1, first - 1); rest = substr($0, first + 1)
      second = index(rest, ":"); line = substr(rest, 1, second - 1); text = substr(rest, second + 1)
      split(file, parts, "/"); from = parts[3]
      if (!(file in seen)) {
        seen[file] = 1
        if (!(from in rank)) {
          print file ": layer \047" from "\047 is not in docs/architecture.md\047s layer order"
          failures++
        }
      }
      if (!(from in rank) || text !~ /^#include "plexus\/[a-z_]+\//) next
      to = text; sub(/^#include "plexus\//, "", to); sub(/\/.*/, "", to)
      checked++
      if (!(to in rank)) {
        print file ":" line ": includes unknown layer \047" to "\047"; failures++
      } else if (rank[to] > rank[from]) {
        print file ":" line ": layer \047" from "\047 includes \047" to "\047, which is above it"
        failures++
      }
    }
    END {
      if (failures > 0) { print "check_layers: " failures " violation(s)"; exit 1 }
      print "check_layers: " checked " includes follow the layer order"
    }'
