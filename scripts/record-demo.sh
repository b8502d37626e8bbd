#!/usr/bin/env bash
# record-demo.sh: records assets/demo.jsonl from the real opencode 1.18.33 and the scripted
# model, by driving the real TUI in tmux as a person would: streamed markdown with
# reasoning, a bash call allowed once, a write and an edit allowed (with diffs), a bash call
# rejected, a question answered. Needs tmux, npm (for opencode) and cargo.
#   scripts/record-demo.sh [OUT]     (default assets/demo.jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-assets/demo.jsonl}")"
OPENCODE_BIN="$(bash scripts/install-opencode.sh | tail -n 1)"
export OPENCODE_BIN
cargo build --quiet --bin ocw-tui
bin="$(realpath "${CARGO_TARGET_DIR:-target}")/debug/ocw-tui"
work="$(mktemp -d)"
mock_log="$work/mock.log"
port=$(( 20000 + RANDOM % 20000 ))
cleanup() {
  tmux kill-session -t ocw-demo 2>/dev/null || true
  # The mock runs in its own process group (setsid): stop cargo and the test binary alike.
  [ -n "${mock_pid:-}" ] && kill -- "-$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

OCW_MOCK_PORT=$port setsid cargo test --quiet --test mock_model_selftest -- --ignored --nocapture serve_mock_forever >"$mock_log" 2>&1 &
mock_pid=$!
for _ in $(seq 600); do grep -q "mock model listening" "$mock_log" 2>/dev/null && break; sleep 0.5; done
config="$(sed -n "s/^export OPENCODE_CONFIG_CONTENT='\(.*\)' OPENCODE_DISABLE.*/\1/p" "$mock_log")"
[ -n "$config" ] || { echo "record-demo: the mock model did not start" >&2; cat "$mock_log" >&2; exit 1; }

mkdir -p "$work/my-project" "$work/xdg/data" "$work/xdg/config" "$work/xdg/cache" "$work/xdg/state"
printf 'fn main() {\n    println!("hello");\n}\n' >"$work/my-project/main.rs"
cat >"$work/run.sh" <<RUN
export OPENCODE_CONFIG_CONTENT='$config' OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1
export XDG_DATA_HOME=$work/xdg/data XDG_CONFIG_HOME=$work/xdg/config XDG_CACHE_HOME=$work/xdg/cache XDG_STATE_HOME=$work/xdg/state
export OPENCODE_BIN=$OPENCODE_BIN
cd $work/my-project
$bin --no-notify --log $work/demo.jsonl
echo \$? > $work/exit
sleep 60
RUN
tmux new-session -d -s ocw-demo -x 150 -y 45 "bash $work/run.sh"

screen() { tmux capture-pane -p -t ocw-demo; }
wait_for() { # TEXT SECS
  for _ in $(seq $(( $2 * 10 ))); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
  echo "record-demo: timed out waiting for '$1'; the screen:" >&2; screen >&2; exit 1
}
prompt() { # lines...
  local first=1
  for line in "$@"; do
    [ $first = 1 ] || tmux send-keys -t ocw-demo M-Enter
    tmux send-keys -t ocw-demo -l "$line"; first=0
  done
  sleep 0.3; tmux send-keys -t ocw-demo Enter
}
idle() { sleep 1; wait_for "ready" 60; }

wait_for "ready" 90
prompt "Explain the plan" "reason: The user wants an overview. I should outline the steps before touching any file." "markdown"
wait_for "That is all." 60; idle
prompt "Show me the files" "bash: ls -la"
wait_for "Permission: bash" 60; tmux send-keys -t ocw-demo y
wait_for "Done: total" 60; idle
prompt "Add a greeting to main.rs and keep notes" 'write: notes.md :: # Notes\n\n- greet the user\n- keep it short' 'edit: main.rs :: println!("hello"); => println!("hello, world");'
wait_for "Permission: edit" 60; tmux send-keys -t ocw-demo y
sleep 1; wait_for "Permission: edit" 60; tmux send-keys -t ocw-demo y
wait_for "Edit applied" 60; idle
prompt "Clean up the build output" "bash: rm -rf build"
wait_for "Permission: bash" 60; tmux send-keys -t ocw-demo n
sleep 2; idle
prompt "Set up the database" "question: Which database should the app use? | sqlite, postgres, mysql"
wait_for "Question from" 60; tmux send-keys -t ocw-demo 2
wait_for "Done: User has answered" 60; idle
tmux send-keys -t ocw-demo C-d
for _ in $(seq 100); do [ -f "$work/exit" ] && break; sleep 0.1; done
mkdir -p "$(dirname "$out")"
cp "$work/demo.jsonl" "$out"
echo "record-demo: wrote $out ($(wc -l <"$out") events)"
