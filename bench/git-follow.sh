#!/usr/bin/env bash
# Environments that follow git (issue 23): push -> generic webhook -> the edge serves the new version, p50 over the
# rounds, against the same change applied through the API in the same run (target: <= 2 s more than the deploy
# itself); and the cost of one polling interval for FOLLOWERS environments on REPOSITORIES repositories (target: one
# fetch per repository per interval, not per environment), those environments written straight into the database.
#   bench/git-follow.sh [rounds, default 10] [followers, default 1000] [repositories, default 50]
# A git daemon on a free loopback port serves the bench's bare repositories; every fetch it answers with a pack runs
# its uploadpack.packObjectsHook, which counts it (ls-remote never does). The polling part waits for the follower's
# intervals: a stack this script starts polls every PADDOCK_GIT_POLL (default 00:00:20) without jitter, so that
# every repository falls due together; a stack already running polls at whatever it was started with.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export Paddock__Git__PollInterval=${PADDOCK_GIT_POLL:-00:00:20} Paddock__Git__PollJitter=00:00:00

GIT_DIR_ROOT=$(mktemp -d /tmp/paddock-bench-gitd-XXXXXX)
mkdir -p "$GIT_DIR_ROOT/repos"
cat >"$GIT_DIR_ROOT/count-fetch.sh" <<HOOK
#!/bin/sh
echo fetch >>"$GIT_DIR_ROOT/fetches.log"
exec "\$@"
HOOK
chmod +x "$GIT_DIR_ROOT/count-fetch.sh"
printf '[uploadpack]\n\tpackObjectsHook = %s\n' "$GIT_DIR_ROOT/count-fetch.sh" >"$GIT_DIR_ROOT/gitconfig"
GIT_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
GIT_CONFIG_GLOBAL="$GIT_DIR_ROOT/gitconfig" git daemon --reuseaddr --listen=127.0.0.1 --port="$GIT_PORT" --export-all \
  --enable=receive-pack --base-path="$GIT_DIR_ROOT/repos" "$GIT_DIR_ROOT/repos" 2>"$GIT_DIR_ROOT/daemon.log" &
GIT_DAEMON=$!
cleanup() {
  kill "$GIT_DAEMON" 2>/dev/null || true
  wait "$GIT_DAEMON" 2>/dev/null || true
  rm -rf "$GIT_DIR_ROOT"
  stop_stack
}
trap cleanup EXIT

ensure_stack
trap cleanup EXIT # ensure_stack sets its own trap; this one also stops the stack
bench git-follow --n "${1:-10}" --followers "${2:-1000}" --repositories "${3:-50}" \
  --git-root "$GIT_DIR_ROOT/repos" --git-port "$GIT_PORT" --fetch-log "$GIT_DIR_ROOT/fetches.log"
