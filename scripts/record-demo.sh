#!/usr/bin/env bash
# record-demo.sh: records assets/demo.jsonl from the real opencode 1.18.33 and the scripted
# model, by driving the real TUI in tmux as a person would, on a tiny Rust project
# ("greeter"). The person types natural prompts; the model follows scripts/demo-scenario.json
# (OCW_MOCK_SCENARIO, see tests/support/mock_scenario.rs): an explanation with reasoning, two
# reads and a code block; a search for the tests (bash allowed once); a friendlier greeting
# asked about `@src/greet.rs`, chosen in the file picker (two edits, with diffs); the
# project's `/changelog` command (.opencode/command/changelog.md), completed from the `/`
# popup, writing CHANGELOG.md; a cleanup that goes too far, rejected with a message, then
# the narrower command allowed; a switch to a second model ("Mock Thinker", F4, added to the
# mock's config here) that reasons and asks a question (which database), answered.
# plugin.added (opencode's list of its plugins, which the TUI does not show) is left out of
# the log to keep it short. Needs tmux, jq, npm (for opencode) and cargo.
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
sess="ocw-demo-$$" # its own tmux session: several recordings may run side by side
cleanup() {
  tmux kill-session -t "$sess" 2>/dev/null || true
  # The mock runs in its own process group (setsid): stop cargo and the test binary alike.
  [ -n "${mock_pid:-}" ] && kill -- "-$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

OCW_MOCK_SCENARIO="$PWD/scripts/demo-scenario.json" OCW_MOCK_PORT=$port setsid cargo test --quiet --test e2e -- --ignored --nocapture serve_mock_forever >"$mock_log" 2>&1 &
mock_pid=$!
for _ in $(seq 600); do grep -q "mock model listening" "$mock_log" 2>/dev/null && break; sleep 0.5; done
config="$(sed -n "s/^export OPENCODE_CONFIG_CONTENT='\(.*\)' OPENCODE_DISABLE.*/\1/p" "$mock_log")"
[ -n "$config" ] || { echo "record-demo: the mock model did not start" >&2; cat "$mock_log" >&2; exit 1; }
# A second model of the mock provider, for the model switch (the scenario's last turn
# answers only when the request names it).
config="$(jq -c '.provider.mock.models["mock-thinker"] = {"name": "Mock Thinker", "tool_call": true, "reasoning": true}' <<<"$config")"

proj="$work/greeter"
mkdir -p "$proj/src" "$proj/build" "$work/xdg/data" "$work/xdg/config" "$work/xdg/cache" "$work/xdg/state"
cat >"$proj/Cargo.toml" <<'EOF2'
[package]
name = "greeter"
version = "0.1.0"
edition = "2021"
EOF2
cat >"$proj/src/main.rs" <<'EOF2'
mod greet;

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "world".to_string());
    println!("{}", greet::greeting(&name));
}
EOF2
cat >"$proj/src/greet.rs" <<'EOF2'
/// The greeting printed for `name`.
pub fn greeting(name: &str) -> String {
    format!("hello {name}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn greets_by_name() {
        assert_eq!(super::greeting("Ada"), "hello Ada");
    }
}
EOF2
printf '# greeter\n\nPrints a greeting: `cargo run -- NAME`.\n' >"$proj/README.md"
printf 'stale\n' >"$proj/build/greeter.o"
mkdir -p "$proj/.opencode/command"
cat >"$proj/.opencode/command/changelog.md" <<'EOF2'
---
description: Add a line to CHANGELOG.md
---
Add a line to CHANGELOG.md under "## Unreleased" for: $ARGUMENTS
Keep it short and in the past tense; create the file if there is none.
EOF2
cat >"$work/run.sh" <<RUN
export OPENCODE_CONFIG_CONTENT='$config' OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1
export XDG_DATA_HOME=$work/xdg/data XDG_CONFIG_HOME=$work/xdg/config XDG_CACHE_HOME=$work/xdg/cache XDG_STATE_HOME=$work/xdg/state
export OPENCODE_BIN=$OPENCODE_BIN
cd $proj
$bin --no-notify --log $work/demo.jsonl --log-exclude plugin.added
echo \$? > $work/exit
sleep 60
RUN
tmux new-session -d -s "$sess" -x 150 -y 45 "bash $work/run.sh"

screen() { tmux capture-pane -p -t "$sess"; }
wait_for() { # TEXT SECS
  for _ in $(seq $(( $2 * 10 ))); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
  echo "record-demo: timed out waiting for '$1'; the screen:" >&2; screen >&2; exit 1
}
prompt() { # lines... (a line ending in ';' would lose it: tmux reads a trailing ';' as
            # a command separator, so it is sent escaped)
  local first=1
  for line in "$@"; do
    [ $first = 1 ] || tmux send-keys -t "$sess" M-Enter
    case "$line" in *\;) line="${line%;}\\;" ;; esac
    tmux send-keys -t "$sess" -l "$line"; first=0
  done
  sleep 0.3; tmux send-keys -t "$sess" Enter
}
idle() { sleep 1; wait_for "ready" 60; }
answer() { # DIALOG-TEXT KEY: wait for the dialog, let it arm (guard.rs), press KEY
  wait_for "$1" 60; sleep 1; tmux send-keys -t "$sess" "$2"
}

wait_for "ready" 90
prompt "Can you explain what this project does?"
wait_for "cargo run -- Ada" 60; idle
prompt "Which tests do we have?"
answer "Permission: bash" y
wait_for "cargo test" 60; idle
# An @ mention chosen in the file picker (GET /find/file), then the rest of the prompt.
tmux send-keys -t "$sess" -l "Make the greeting in @src/gre"
wait_for "› src/greet.rs" 30; sleep 0.3; tmux send-keys -t "$sess" Tab
wait_for "greeting in @src/greet.rs" 10
prompt "friendlier (capital H, exclamation mark)."
answer "Permission: edit" y
sleep 1; answer "Permission: edit" y
wait_for "expects it" 60; idle
# The project's /changelog command, completed from the / popup.
tmux send-keys -t "$sess" -l "/changel"
wait_for "Add a line to CHANGELOG.md" 30; sleep 0.3; tmux send-keys -t "$sess" Tab
prompt "the friendlier greeting"
answer "Permission: edit" y
wait_for "under Unreleased" 60; idle
prompt "We're short on disk space: please clean up the build output."
answer "Permission: external_directory" m
sleep 0.5; tmux send-keys -t "$sess" -l "Not the cargo cache! Only this project's build folder."
sleep 0.3; tmux send-keys -t "$sess" Enter
sleep 1; answer "Permission: bash" y
wait_for "cache is untouched" 60; idle
# A design question: switch to the reasoning model first (F4, the model picker).
tmux send-keys -t "$sess" F4
wait_for "Mock Thinker" 30; sleep 0.3; tmux send-keys -t "$sess" -l "thinker"
sleep 0.3; tmux send-keys -t "$sess" Enter
wait_for "mock/mock-thinker" 10
prompt "Next I'd like to store every greeting in a database."
answer "Question from" 1
wait_for "write the migration" 60; idle
tmux send-keys -t "$sess" C-d
for _ in $(seq 100); do [ -f "$work/exit" ] && break; sleep 0.1; done
mkdir -p "$(dirname "$out")"
# Paths as in a real project (/home/dev/src/greeter), not the recorder's mktemp directory:
# the absolute form and opencode's relative one ("tmp/tmp.XXXX/greeter") alike.
rel="${work#/}"
sed "s#${rel//./\\.}/greeter#home/dev/src/greeter#g" "$work/demo.jsonl" >"$out"
echo "record-demo: wrote $out ($(wc -l <"$out") events)"
