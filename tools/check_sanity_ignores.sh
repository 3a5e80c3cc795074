#!/usr/bin/env bash
# ansible-test sanity passes with no ignore entries: this fails if any tests/sanity/ignore-*.txt holds one
# (a line that is neither blank nor a comment). Fix the code the check names; never silence the check.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for file in tests/sanity/ignore-*.txt; do
    [ -e "$file" ] || continue
    if grep -nvE '^[[:space:]]*(#.*)?$' "$file"; then
        echo "$file: sanity ignore entries are not allowed (above)" >&2
        status=1
    fi
done
exit "$status"
