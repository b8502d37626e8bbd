#!/usr/bin/env bash
# test-under-load.sh [RUNS]: every test (scripts/test-all.sh) RUNS times in a row (default 3)
# while two busy loops (`yes > /dev/null`) take CPU beside them, as on a loaded laptop or
# a shared CI runner. Prints one line per run and fails on the first failing run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
yes > /dev/null & busy1=$!
yes > /dev/null & busy2=$!
trap 'kill "$busy1" "$busy2" 2>/dev/null || true' EXIT
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  out="$(mktemp)"
  if bash scripts/test-all.sh > "$out" 2>&1; then
    echo "run $i/$runs: $(tail -n 1 "$out") in $(( $(date +%s) - start )) s (two busy loops beside)"
    rm -f "$out"
  else
    echo "run $i/$runs FAILED after $(( $(date +%s) - start )) s: $(tail -n 1 "$out"); output in $out" >&2
    grep -E '^(test .* FAILED|---- )' "$out" >&2 || true
    exit 1
  fi
done
