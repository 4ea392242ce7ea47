#!/usr/bin/env bash
# Checks that every `#include "plexus/<layer>/..."` in src/ goes to a layer below the includer's
# (or the same layer). The order is read from docs/architecture.md's "Layer order" list.
set -euo pipefail
cd "$(dirname "$0")/.."

order=$(sed -n '/^## Layer order/,/^## /p' docs/architecture.md | grep -oE '^[0-9]+\. `[a-z_]+`' |
        grep -oE '`[a-z_]+`' | tr -d '`')
[ -n "$order" ] || { echo "check_layers: no '## Layer order' list in docs/architecture.md" >&2; exit 2; }
declare -A rank
i=0
for layer in $order; do rank[$layer]=$i; i=$((i + 1)); done

failures=0
checked=0
while IFS= read -r file; do
  from=$(echo "$file" | cut -d/ -f3)
  if [ -z "${rank[$from]+x}" ]; then
    echo "$file: layer '$from' is not in docs/architecture.md's layer order"
    failures=$((failures + 1)); continue
  fi
  while IFS=: read -r line include; do
    to=$(echo "$include" | sed -E 's|.*"plexus/([a-z_]+)/.*|\1|')
    checked=$((checked + 1))
    if [ -z "${rank[$to]+x}" ]; then
      echo "$file:$line: includes unknown layer '$to'"; failures=$((failures + 1))
    elif [ "${rank[$to]}" -gt "${rank[$from]}" ]; then
      echo "$file:$line: layer '$from' includes '$to', which is above it"; failures=$((failures + 1))
    fi
  done < <(grep -nE '^#include "plexus/[a-z_]+/' "$file" | sed -E 's/^([0-9]+):(.*)$/\1:\2/')
done < <(find src/plexus -name '*.h' -o -name '*.cc' | sort)

if [ "$failures" -gt 0 ]; then
  echo "check_layers: $failures violation(s)"; exit 1
fi
echo "check_layers: $checked includes follow the layer order"
