#!/usr/bin/env bash
# Benchmark of issue 4: summary of a ~100 MB log, ocw-tui vs py-opencode-wrapper 0.3.1,
# then seek times in the same log. Prints the figures; needs /usr/bin/time (GNU).
#
#   scripts/bench-summary.sh [TARGET_MB]      (default 100)
#
# The log is the recorded serve-format fixtures concatenated until it reaches TARGET_MB.
# py-opencode-wrapper's own path is `json.loads` of each line + `aggregate_server_result`;
# it is installed into a private virtualenv under ${OCW_CACHE_DIR:-$HOME/.cache/ocw-tui}.
set -euo pipefail

cd "$(dirname "$0")/.."
target_mb=${1:-100}
cache=${OCW_CACHE_DIR:-$HOME/.cache/ocw-tui}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The log.
log="$work/big.jsonl"
one="$work/one.jsonl"
cat tests/fixtures/opencode-1.18.33/*.jsonl > "$one"
one_size=$(stat -c %s "$one")
copies=$(( (target_mb * 1000000 + one_size - 1) / one_size ))
for _ in $(seq "$copies"); do cat "$one"; done > "$log"
size=$(stat -c %s "$log")
lines=$(wc -l < "$log")
printf 'log: %d copies of the fixtures, %.1f MB, %d events\n' "$copies" "$(echo "$size/1000000" | bc -l)" "$lines"

# 2. py-opencode-wrapper in a private virtualenv.
venv="$cache/bench-venv"
if ! "$venv/bin/python" -c 'import opencode_wrapper' 2>/dev/null; then
  python3 -m venv "$venv"
  wheel=/tmp/ocw/py/py_opencode_wrapper-0.3.1-py3-none-any.whl
  if [ -f "$wheel" ]; then
    "$venv/bin/pip" install -q "$wheel"
  else
    "$venv/bin/pip" install -q py-opencode-wrapper==0.3.1
  fi
fi
cat > "$work/py_summary.py" <<'EOF'
import json, sys
from opencode_wrapper.events import aggregate_server_result
events = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if isinstance(ev, dict):
            events.append(ev)
r = aggregate_server_result(events=events, session_id=None)
print(json.dumps({"turns": r.turns, "events": len(events), "cost": r.total_cost}))
EOF

# 3. ocw-tui, release build.
cargo build --release --quiet --bin ocw-tui
bin=target/release/ocw-tui

measure() { # name, command... -> "seconds cpu_seconds rss_kb"
  local name=$1; shift
  /usr/bin/time -v "$@" > "$work/$name.out" 2> "$work/$name.time"
  local wall rss user sys
  wall=$(grep 'Elapsed (wall clock)' "$work/$name.time" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/$name.time" | awk '{print $NF}')
  user=$(grep 'User time (seconds)' "$work/$name.time" | awk '{print $NF}')
  sys=$(grep 'System time (seconds)' "$work/$name.time" | awk '{print $NF}')
  # m:ss.xx -> seconds
  echo "$wall" | awk -F: -v rss="$rss" -v cpu="$(echo "$user+$sys" | bc -l)" \
    '{ if (NF==3) s=$1*3600+$2*60+$3; else s=$1*60+$2; printf "%.3f %.3f %d\n", s, cpu, rss }'
}

cat "$log" > /dev/null # warm the page cache for both
read -r ours_s ours_cpu ours_kb < <(measure ours "$bin" replay --summary --json "$log")
read -r py_s py_cpu py_kb < <(measure py "$venv/bin/python" "$work/py_summary.py" "$log")

events=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' "$work/ours.out")
printf '\n%-34s %10s %10s %12s\n' "summary of the log" "wall s" "CPU s" "peak RSS MB"
printf '%-34s %10.3f %10.3f %12.1f\n' "ocw-tui replay --summary --json" "$ours_s" "$ours_cpu" "$(echo "$ours_kb/1024" | bc -l)"
printf '%-34s %10.3f %10.3f %12.1f\n' "py-opencode-wrapper 0.3.1" "$py_s" "$py_cpu" "$(echo "$py_kb/1024" | bc -l)"
printf 'speed-up: %.1fx wall, %.1fx CPU   ocw-tui RSS / file size: %.3f   ocw-tui events: %s\n' \
  "$(echo "$py_s/$ours_s" | bc -l)" "$(echo "$py_cpu/$ours_cpu" | bc -l)" \
  "$(echo "$ours_kb*1024/$size" | bc -l)" "$events"

# 4. Seek times (the interactive replay's timeline). In the plain concatenation every copy
# repeats the same ids (13 distinct turns); the second log gives each copy ids of its own,
# like a real long log: ~1,300 turns and ~1,000 sessions whose state grows to the end.
uniq="$work/uniq.jsonl"
for i in $(seq "$copies"); do
  sed "s/ses_/ses_c${i}x/g; s/msg_/msg_c${i}x/g; s/prt_/prt_c${i}x/g; s/per_/per_c${i}x/g; s/que_/que_c${i}x/g" "$one"
done > "$uniq"
seek_bin=$(cargo bench --bench replay_seek --no-run 2>&1 | grep -o 'target/release/deps/replay_seek-[0-9a-f]*' | head -1)
for l in "$log" "$uniq"; do
  echo
  echo "== $(basename "$l")"
  /usr/bin/time -f 'peak RSS of the interactive timeline: %M KB' "$seek_bin" "$l"
done
rm -f "$log" "$uniq"
