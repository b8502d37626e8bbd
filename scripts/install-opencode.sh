#!/usr/bin/env bash
# install-opencode.sh [VERSION]: installs opencode (opencode-ai@VERSION, default the pinned
# 1.18.33) with npm into a cache folder and prints the absolute path of its binary on the
# last stdout line. Each version has its own folder, so several live side by side (the tests
# run the headless scenarios against the oldest supported release too: 1.17.19).
#
#   OCW_CACHE_DIR   cache root (default: $HOME/.cache/ocw-tui); installs the pinned version
#                   into $OCW_CACHE_DIR/opencode, any other into $OCW_CACHE_DIR/opencode-VERSION
#
# Idempotent: when the binary there already reports the pinned version, nothing is installed.
# Everything but the final path goes to stderr, so `bin=$(scripts/install-opencode.sh | tail -n1)` works.
set -euo pipefail

PINNED_VERSION="1.18.33"
OPENCODE_VERSION="${1:-$PINNED_VERSION}"
if ! [[ "$OPENCODE_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  printf 'install-opencode: error: %s is not a version like 1.18.33\n' "$OPENCODE_VERSION" >&2
  exit 2
fi
cache_root="${OCW_CACHE_DIR:-${HOME:?HOME is not set; set OCW_CACHE_DIR}/.cache/ocw-tui}"
if [ "$OPENCODE_VERSION" = "$PINNED_VERSION" ]; then
  prefix="${cache_root}/opencode"
else
  prefix="${cache_root}/opencode-${OPENCODE_VERSION}"
fi
bin="${prefix}/node_modules/opencode-linux-x64/bin/opencode"

log() { printf 'install-opencode: %s\n' "$*" >&2; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) log "error: only linux x86_64 is supported (got $(uname -s)-$(uname -m))"; exit 1 ;;
esac

installed_version() {
  [ -x "$bin" ] || return 1
  "$bin" --version 2>/dev/null | tail -n 1 | tr -d '[:space:]'
}

if [ "$(installed_version || true)" = "$OPENCODE_VERSION" ]; then
  log "opencode ${OPENCODE_VERSION} already installed in ${prefix}"
else
  if ! command -v npm >/dev/null 2>&1; then
    log "error: npm is not installed (needed to install opencode-ai@${OPENCODE_VERSION});"
    log "       install Node.js and npm (e.g. 'apt-get install -y npm') and run this again"
    exit 1
  fi
  mkdir -p "$prefix"
  # A package.json of our own keeps npm from walking up to an unrelated project.
  if [ ! -f "${prefix}/package.json" ]; then
    printf '{\n  "name": "ocw-tui-opencode-cache",\n  "private": true\n}\n' >"${prefix}/package.json"
  fi
  log "installing opencode-ai@${OPENCODE_VERSION} into ${prefix} ..."
  npm install --prefix "$prefix" --no-audit --no-fund --save-exact --loglevel=error \
    "opencode-ai@${OPENCODE_VERSION}" >&2
  got="$(installed_version || true)"
  if [ "$got" != "$OPENCODE_VERSION" ]; then
    log "error: after npm install, ${bin} reports '${got:-nothing}', expected ${OPENCODE_VERSION}"
    exit 1
  fi
  log "installed opencode ${OPENCODE_VERSION}"
fi

printf '%s\n' "$bin"
