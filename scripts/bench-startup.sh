#!/usr/bin/env bash
# Benchmark of issue 18 ("the screen is there at once"): launch of the interactive TUI.
#
#   scripts/bench-startup.sh [RUNS]          (default 5)
#
# Launches `ocw-tui --no-log PROJECT` (it spawns its own `opencode serve`) in a private
# tmux server (140x40) and workspace RUNS times (after one warm-up run: a fresh opencode
# data directory is migrated on its first start) and prints, per run and as the median:
#   first frame  ms from launch (a timestamp taken by the shell right before `exec`) to the
#                first frame the TUI drew (`OCW_DEBUG_STARTUP`, else `OCW_DEBUG_FRAMES`)
#   ready        ms from launch to the first frame with the session shown on a connected
#                server (prompts typed before it are sent then)
# OCW_BIN=PATH measures another build (one without `OCW_DEBUG_STARTUP` counts its first
# frame as ready: before issue 18 the TUI was drawn only once the server was ready).
# Needs tmux, python3 and opencode (scripts/install-opencode.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${1:-5}
root=$PWD
work=$(mktemp -d)
sock="ocw-bench-startup-$$"
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

opencode_bin=${OPENCODE_BIN:-${OCW_OPENCODE_BIN:-$(bash scripts/install-opencode.sh 2>/dev/null | tail -1)}}
[ -x "$opencode_bin" ] || { echo "opencode not found (set OPENCODE_BIN)" >&2; exit 2; }
if [ -z "${OCW_BIN:-}" ]; then
  cargo build -q --release --bin ocw-tui
  OCW_BIN=${CARGO_TARGET_DIR:-$root/target}/release/ocw-tui
fi

# A private workspace: project, XDG directories, the plugin dependencies opencode would
# otherwise install from the network on its first start (cached by the e2e tests).
mkdir -p "$work/project" "$work/home" "$work/xdg/data" "$work/xdg/config/opencode" \
  "$work/xdg/cache" "$work/xdg/state"
deps=${OCW_CACHE_DIR:-$HOME/.cache/ocw-tui}/opencode-config-deps-1.18.33
if [ -d "$deps/node_modules/@opencode-ai/plugin" ]; then
  cp "$deps"/package*.json "$work/xdg/config/opencode/" 2>/dev/null || true
  ln -s "$deps/node_modules" "$work/xdg/config/opencode/node_modules"
fi
cat >"$work/env.sh" <<EOF
export HOME='$work/home' XDG_DATA_HOME='$work/xdg/data' XDG_CONFIG_HOME='$work/xdg/config'
export XDG_CACHE_HOME='$work/xdg/cache' XDG_STATE_HOME='$work/xdg/state'
export OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_BIN='$opencode_bin'
unset OPENCODE_SERVER_PASSWORD OPENCODE_SERVER_USERNAME
EOF
tmux -L "$sock" new-session -d -s keep -x 140 -y 40 'sleep 100000'

# One launch: prints "FIRST_MS READY_MS".
launch() {
  local n=$1 out="$work/run-$1"
  mkdir -p "$out"
  cat >"$out/cmd.sh" <<EOF
. '$work/env.sh'
cd '$work/project'
date +%s%3N > '$out/t0'
exec env OCW_DEBUG_STARTUP='$out/startup' OCW_DEBUG_FRAMES='$out/frames' '$OCW_BIN' --no-log .
EOF
  tmux -L "$sock" new-session -d -s "run$n" -x 140 -y 40 "sh '$out/cmd.sh'"
  for _ in $(seq 600); do
    grep -qs '^ready ' "$out/startup" && break
    # An older build: no start-up marks; its first frame is the ready one.
    [ ! -e "$out/startup" ] && [ -s "$out/frames" ] && break
    sleep 0.1
  done
  sleep 0.3
  tmux -L "$sock" send-keys -t "run$n" C-d 2>/dev/null || true
  for _ in $(seq 100); do tmux -L "$sock" has-session -t "run$n" 2>/dev/null || break; sleep 0.1; done
  tmux -L "$sock" kill-session -t "run$n" 2>/dev/null || true
  python3 - "$out" <<'PY'
import os, sys
out = sys.argv[1]
t0 = int(open(f"{out}/t0").read().split()[0])
marks = {}
if os.path.exists(f"{out}/startup"):
    for line in open(f"{out}/startup"):
        k, v = line.split()
        marks[k] = int(v)
frames = [int(l) for l in open(f"{out}/frames")] if os.path.exists(f"{out}/frames") else []
first = marks.get("first_frame", frames[0] if frames else None)
ready = marks.get("ready", first if "first_frame" not in marks else None)
f = lambda v: "-" if v is None else str(v - t0)
print(f(first), f(ready))
PY
}

echo "warm-up: $(launch 0)"
firsts=() readies=()
for i in $(seq "$runs"); do
  read -r first ready < <(launch "$i")
  echo "run $i: first frame ${first} ms, ready ${ready} ms"
  firsts+=("$first"); readies+=("$ready")
done
median() { printf '%s\n' "$@" | grep -v '^-$' | sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "-")}'; }
echo "ocw-tui ($OCW_BIN), $runs runs: launch to first frame median $(median "${firsts[@]}") ms (${firsts[*]}); launch to ready median $(median "${readies[@]}") ms (${readies[*]})"
