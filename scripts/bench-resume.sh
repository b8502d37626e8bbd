#!/usr/bin/env bash
# Benchmark of issue 3: resuming a session whose answer is 20,000 words.
#
#   scripts/bench-resume.sh [RUNS]          (default 5)
#
# Starts the scripted model (tests/support) and a real `opencode serve` in a private
# workspace, builds the session with `ocw-tui run "words: 20000"`, then launches
# `ocw-tui --attach URL --session ID` in a private tmux server (200x50) RUNS times and
# polls the screen until `word20000` shows: prints the seconds from launch to the last
# word on screen and the peak RSS of ocw-tui (`/usr/bin/time -v`). Then the same for
# `opencode attach URL --session ID` (until the footer under the answer shows: it never
# draws word20000), and the bare tmux overhead (`echo word20000`).
# Needs tmux, python3, GNU time and opencode (scripts/install-opencode.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${1:-5}
root=$PWD
work=$(mktemp -d)
sock="ocw-bench-$$"
pids=()
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

opencode_bin=${OPENCODE_BIN:-$(bash scripts/install-opencode.sh 2>/dev/null | tail -1)}
[ -x "$opencode_bin" ] || { echo "opencode not found (set OPENCODE_BIN)" >&2; exit 2; }
cargo build -q --release --bin ocw-tui
cargo test -q --no-run --test e2e 2>/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. The scripted model.
mock_port=$(free_port)
OCW_MOCK_PORT=$mock_port setsid cargo test -q --test e2e -- --ignored --nocapture \
  serve_mock_forever </dev/null >"$work/mock.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$work/mock.log" && break; sleep 0.2; done
grep -q listening "$work/mock.log" || { echo "the mock model did not start" >&2; cat "$work/mock.log" >&2; exit 1; }

# 2. opencode serve in a private workspace.
mkdir -p "$work/project" "$work/xdg/data" "$work/xdg/config" "$work/xdg/cache" "$work/xdg/state"
export XDG_DATA_HOME=$work/xdg/data XDG_CONFIG_HOME=$work/xdg/config
export XDG_CACHE_HOME=$work/xdg/cache XDG_STATE_HOME=$work/xdg/state
export OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1
export OPENCODE_CONFIG_CONTENT="{\"provider\":{\"mock\":{\"npm\":\"@ai-sdk/openai-compatible\",\"name\":\"Mock\",\"options\":{\"baseURL\":\"http://127.0.0.1:$mock_port/v1\",\"apiKey\":\"x\"},\"models\":{\"mock-model\":{\"name\":\"Mock Model\",\"tool_call\":true}}}},\"model\":\"mock/mock-model\"}"
unset OPENCODE_SERVER_PASSWORD OPENCODE_SERVER_USERNAME
port=$(free_port)
url=http://127.0.0.1:$port
(cd "$work/project" && exec setsid "$opencode_bin" serve --hostname 127.0.0.1 --port "$port" \
  </dev/null >"$work/serve.log" 2>&1) &
pids+=($!)
for _ in $(seq 150); do curl -sf -m 2 -o /dev/null "$url/session" && break; sleep 0.2; done

# 3. The session: one turn whose answer is word1 ... word20000.
(cd "$work/project" && "$root/target/release/ocw-tui" run --attach "$url" --json --timeout 120 "words: 20000") >"$work/run.json"
sid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sessions"][0]["session_id"])' "$work/run.json")
grep -q 'word20000' "$work/run.json" || { echo "the answer is not complete" >&2; exit 1; }
echo "session $sid on $url: one answer of 20,000 words"

# 4. Launch in tmux, poll the screen for the last word.
tmux -L "$sock" new-session -d -s keep -x 200 -y 50 'sleep 100000'
cat >"$work/poll.py" <<'EOF'
import subprocess, sys, time
sock, word, timeout, cmd = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
tmux = ["tmux", "-L", sock]
subprocess.run(tmux + ["kill-session", "-t", "run"], stderr=subprocess.DEVNULL)
t0 = time.monotonic()
subprocess.run(tmux + ["new-session", "-d", "-s", "run", "-x", "200", "-y", "50", cmd], check=True)
found = None
while time.monotonic() - t0 < timeout:
    out = subprocess.run(tmux + ["capture-pane", "-p", "-t", "run"], capture_output=True, text=True).stdout
    if word in out:
        found = time.monotonic() - t0
        break
    time.sleep(0.002)
print(f"{found:.3f}" if found is not None else "timeout")
EOF
# Stops what runs in the "run" session with QUIT_KEYS, waits for it to end.
stop() {
  tmux -L "$sock" send-keys -t run "$@" 2>/dev/null || true
  for _ in $(seq 100); do tmux -L "$sock" has-session -t run 2>/dev/null || return 0; sleep 0.1; done
  tmux -L "$sock" kill-session -t run 2>/dev/null || true
}
measure() { # NAME QUIT_KEY MARKER CMD
  local name=$1 key=$2 marker=$3 cmd=$4 times=() rss=()
  for _ in $(seq "$runs"); do
    t=$(python3 "$work/poll.py" "$sock" "$marker" 30 "/usr/bin/time -v -o $work/time.txt $cmd")
    sleep 0.3
    stop "$key"
    times+=("$t")
    rss+=("$(awk '/Maximum resident/ {printf "%.1f", $6/1024}' "$work/time.txt")")
  done
  printf '%-16s %-22s on screen after: %s s; peak RSS: %s MB\n' "$name" "'$marker'" "${times[*]}" "${rss[*]}"
}
echo "tmux overhead (echo word20000): $(python3 "$work/poll.py" "$sock" word20000 10 'echo word20000; sleep 3')s"
measure "ocw-tui" C-d word20000 "$root/target/release/ocw-tui --attach $url --session $sid"
if [ "${SKIP_OPENCODE_ATTACH:-}" = "" ]; then
  # opencode's TUI cuts the part short on screen (word20000 never shows): wait for the
  # footer it draws under the answer instead.
  measure "opencode attach" C-c "Mock Model ·" "$opencode_bin attach $url --session $sid --dir $work/project"
fi
