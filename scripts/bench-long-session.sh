#!/usr/bin/env bash
# Benchmark of issue 11 §8: a long session (2,000 messages) stays fast.
#
#   scripts/bench-long-session.sh [TURNS] [RUNS]      (defaults 1000 and 3)
#
# Starts the scripted model (tests/support) and a real `opencode serve` whose data dir is
# kept in a cache ($OCW_BENCH_CACHE, default ~/.cache/ocw-tui/bench-long-session/TURNS),
# and builds there, once, a session of TURNS turns (2 x TURNS messages) with
# `ocw-tui run --attach URL --session ID MESSAGE...` (batches of 100 turns, one process
# each; resumed where it stopped if interrupted). The first turn says `aardvark`, no other
# does. Then, in a private tmux server (200x50), RUNS times each:
# - open: launch of `ocw-tui --attach URL --session ID` to the last answer on screen;
# - keys: 60 letters typed into the prompt (`tmux send-keys`, 40 ms apart), each matched
#   to the first frame drawn after it (`OCW_DEBUG_FRAMES`, ms resolution): p50 / p99 / max;
# - paging: Home pressed (again every 40 ms while the screen does not show it) from the
#   end until the first turn (`aardvark`) is on screen;
# - search: End, then Ctrl+F `aardvark` Enter until the bar shows "N of 2" (the user
#   message and its answer) with the match on screen; the history is already loaded by
#   the paging step, so this is the search itself (the fetch is the paging figure);
# - peak RSS of ocw-tui over all that (`/usr/bin/time -v`).
# Then open time and peak RSS of `opencode attach URL --session ID` (until the last
# answer's text shows).
# Needs tmux, python3, GNU time and opencode (scripts/install-opencode.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
turns=${1:-1000}
runs=${2:-3}
root=$PWD
cache=${OCW_BENCH_CACHE:-$HOME/.cache/ocw-tui/bench-long-session}/$turns
work=$(mktemp -d)
sock="ocw-longbench-$$"
pids=()
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

opencode_bin=${OPENCODE_BIN:-${OCW_OPENCODE_BIN:-$(bash scripts/install-opencode.sh 2>/dev/null | tail -1)}}
[ -x "$opencode_bin" ] || { echo "opencode not found (set OPENCODE_BIN)" >&2; exit 2; }
cargo build -q --release --bin ocw-tui
cargo test -q --no-run --test e2e 2>/dev/null
ocw=$root/target/release/ocw-tui

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. The scripted model.
mock_port=$(free_port)
OCW_MOCK_PORT=$mock_port setsid cargo test -q --test e2e -- --ignored --nocapture \
  serve_mock_forever </dev/null >"$work/mock.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$work/mock.log" && break; sleep 0.2; done
grep -q listening "$work/mock.log" || { echo "the mock model did not start" >&2; cat "$work/mock.log" >&2; exit 1; }

# 2. opencode serve on the cached data dir (the project dir is cached too: sessions
#    belong to their directory).
mkdir -p "$cache/project" "$cache/xdg/data" "$cache/xdg/config" "$cache/xdg/cache" "$cache/xdg/state"
export XDG_DATA_HOME=$cache/xdg/data XDG_CONFIG_HOME=$cache/xdg/config
export XDG_CACHE_HOME=$cache/xdg/cache XDG_STATE_HOME=$cache/xdg/state
export OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1
# The mock's port changes per run: the provider is named by config, so the stored
# session still finds it.
export OPENCODE_CONFIG_CONTENT="{\"provider\":{\"mock\":{\"npm\":\"@ai-sdk/openai-compatible\",\"name\":\"Mock\",\"options\":{\"baseURL\":\"http://127.0.0.1:$mock_port/v1\",\"apiKey\":\"x\"},\"models\":{\"mock-model\":{\"name\":\"Mock Model\",\"tool_call\":true}}}},\"model\":\"mock/mock-model\"}"
unset OPENCODE_SERVER_PASSWORD OPENCODE_SERVER_USERNAME
port=$(free_port)
url=http://127.0.0.1:$port
(cd "$cache/project" && exec setsid "$opencode_bin" serve --hostname 127.0.0.1 --port "$port" \
  </dev/null >"$work/serve.log" 2>&1) &
pids+=($!)
for _ in $(seq 150); do curl -sf -m 2 -o /dev/null "$url/session" && break; sleep 0.2; done

# 3. The session, built once: turn 1 says aardvark, turn K says "turn K of the long session".
count_messages() { curl -sf "$url/session/$1/message" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
if [ ! -s "$cache/session" ]; then
  (cd "$cache/project" && "$ocw" run --attach "$url" --json --timeout 120 "aardvark: the first turn") >"$work/run.json"
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sessions"][0]["session_id"])' "$work/run.json" >"$cache/session"
fi
sid=$(cat "$cache/session")
have=$(count_messages "$sid")
t0=$(date +%s.%N)
while [ "$have" -lt $((2 * turns)) ]; do
  next=$((have / 2 + 1))
  last=$((next + 99 < turns ? next + 99 : turns))
  msgs=()
  for k in $(seq "$next" "$last"); do msgs+=("turn $k of the long session"); done
  (cd "$cache/project" && "$ocw" run --attach "$url" --session "$sid" --timeout 120 "${msgs[@]}") >/dev/null
  have=$(count_messages "$sid")
  printf 'built %d messages (%.0f s)\n' "$have" "$(echo "$(date +%s.%N) - $t0" | bc)"
done
echo "session $sid on $url: $have messages (cache: $cache)"

# 4. The measures, in tmux.
tmux -L "$sock" new-session -d -s keep -x 200 -y 50 'sleep 100000'
cat >"$work/drive.py" <<'EOF'
import os, re, subprocess, sys, time
sock, mode, cmd, last_marker, frames = sys.argv[1:6]
tmux = ["tmux", "-L", sock]
def screen():
    return subprocess.run(tmux + ["capture-pane", "-p", "-t", "run"], capture_output=True, text=True).stdout
def keys(*k):
    subprocess.run(tmux + ["send-keys", "-t", "run", *k])
def wait_for(pred, timeout):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if pred(screen()):
            return time.monotonic() - t0
        time.sleep(0.002)
    return None
def fmt(t):
    return "timeout" if t is None else f"{t:.3f}"
subprocess.run(tmux + ["kill-session", "-t", "run"], stderr=subprocess.DEVNULL)
t0 = time.monotonic()
subprocess.run(tmux + ["new-session", "-d", "-s", "run", "-x", "200", "-y", "50", cmd], check=True)
opened = wait_for(lambda s: last_marker in s, 60)
print(f"open {fmt(opened)}")
if mode != "ocw" or opened is None:
    sys.exit(0)
time.sleep(1.0)
# Key latency: letters typed into the prompt, matched to frames after exit.
sent = []
for i in range(60):
    sent.append(time.time() * 1000)
    keys("-l", "abcdefghij"[i % 10])
    time.sleep(0.04)
time.sleep(0.3)
keys("C-c")
time.sleep(0.3)
# Paging from the end to the first message.
t = time.monotonic()
last_key = 0.0
paged = None
while time.monotonic() - t < 120:
    if "aardvark" in screen():
        paged = time.monotonic() - t
        break
    if time.monotonic() - last_key > 0.04:
        keys("Home")
        last_key = time.monotonic()
    time.sleep(0.002)
print(f"paging {fmt(paged)}")
# The history is loaded by now: back to the end (End), then Ctrl+F aardvark Enter.
keys("End")
time.sleep(0.5)
keys("C-f")
time.sleep(0.2)
keys("-l", "aardvark")
time.sleep(0.2)
t = time.monotonic()
keys("Enter")
found = wait_for(lambda s: re.search(r"\b\d+ of \d+\b", s) is not None and "aardvark" in s, 60)
m = re.search(r"\b(\d+ of \d+)\b", screen())
print(f"search {fmt(found)} {m.group(1) if m else '?'}")
keys("Escape")
time.sleep(0.2)
keys("C-d")
for _ in range(100):
    if subprocess.run(tmux + ["has-session", "-t", "run"], stderr=subprocess.DEVNULL).returncode != 0:
        break
    time.sleep(0.1)
fr = [int(l) for l in open(frames) if l.strip()]
lat = []
for s in sent:
    after = [f for f in fr if f >= int(s)]
    if after:
        lat.append(after[0] - s)
lat.sort()
if lat:
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    print(f"keys p50 {p(0.5):.0f} p99 {p(0.99):.0f} max {lat[-1]:.0f} ms over {len(lat)}")
EOF
stop() {
  tmux -L "$sock" send-keys -t run "$@" 2>/dev/null || true
  for _ in $(seq 100); do tmux -L "$sock" has-session -t run 2>/dev/null || return 0; sleep 0.1; done
  tmux -L "$sock" kill-session -t run 2>/dev/null || true
}
last="This is turn $turns."
rss() { awk '/Maximum resident/ {printf "%.1f", $6/1024}' "$work/time.txt"; }
for r in $(seq "$runs"); do
  out=$(python3 "$work/drive.py" "$sock" ocw \
    "OCW_DEBUG_FRAMES=$work/frames.txt /usr/bin/time -v -o $work/time.txt $ocw --no-notify --attach $url --session $sid" \
    "$last" "$work/frames.txt")
  stop C-d
  echo "ocw-tui run $r: $(echo "$out" | tr '\n' ';' | sed 's/;/; /g')peak RSS $(rss) MB"
done
if [ "${SKIP_OPENCODE_ATTACH:-}" = "" ]; then
  for r in $(seq "$runs"); do
    out=$(python3 "$work/drive.py" "$sock" opencode \
      "/usr/bin/time -v -o $work/time.txt $opencode_bin attach $url --session $sid --dir $cache/project" \
      "$last" "$work/none")
    sleep 0.5
    stop C-c
    echo "opencode attach run $r: $out; peak RSS $(rss) MB"
  done
fi
