#!/usr/bin/env bash
# test-all.sh: everything the tests need on a fresh machine, then every test.
#   - the pinned opencode 1.18.33 from npm, into a cache folder (scripts/install-opencode.sh),
#     and the oldest supported release, 1.17.19, beside it
#   - py-opencode-wrapper 0.3.1 from PyPI into a venv in the same cache (log compatibility tests)
#   - tmux (the TUI end-to-end tests drive the real binary in it)
#   - cargo test (unit, snapshot, and end-to-end tests against the real opencode)
# Tests that need opencode or the Python package FAIL when they are missing; none skips.
set -euo pipefail
cd "$(dirname "$0")/.."

cache_root="${OCW_CACHE_DIR:-${HOME:?HOME is not set; set OCW_CACHE_DIR}/.cache/ocw-tui}"
export OCW_CACHE_DIR="$cache_root"

OCW_OPENCODE_BIN="$(bash scripts/install-opencode.sh | tail -n 1)"
export OCW_OPENCODE_BIN
# The oldest supported release: tests/e2e/old_opencode.rs runs the headless scenarios on it.
OCW_OPENCODE_BIN_OLD="$(bash scripts/install-opencode.sh 1.17.19 | tail -n 1)"
export OCW_OPENCODE_BIN_OLD

venv="${cache_root}/py-venv"
if ! "${venv}/bin/python" -c 'import opencode_wrapper' 2>/dev/null; then
  echo "test-all: installing py-opencode-wrapper 0.3.1 into ${venv}" >&2
  python3 -m venv "$venv"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "py-opencode-wrapper==0.3.1"
fi
export OCW_PYTHON="${venv}/bin/python"

if ! command -v tmux >/dev/null 2>&1; then
  echo "test-all: installing tmux (the TUI end-to-end tests drive ocw-tui in it)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq tmux >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq tmux >/dev/null; fi
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "test-all: cargo is not installed: install Rust (rustup) first" >&2
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
cargo test --locked --no-fail-fast "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over every test binary.
awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
